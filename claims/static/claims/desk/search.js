// The search page (desk/search/search.html). The form searches through htmx attributes: as the box is typed in,
// when a filter changes, when a speaker is picked (desk.js's "picked" event), and when it is sent. Two of the
// `change` events that reach the form are not searches: the box's own when it loses focus (its typing has
// searched already) and a half-typed speaker's name losing focus (it searches once picked; emptied, it searches
// again without them). A re-rendered region keeps the speaker fields as typed (hx-preserve), so their
// aria-invalid is set here from the errors that came with it.
"use strict";

document.addEventListener(
  "change",
  (event) => {
    const field = event.target;
    if (!field.closest || !field.closest("#search-form")) return;
    const typedName = field.type === "search" && field.closest("[data-picker]") && field.value.trim() !== "";
    if (field.id === "id_q" || typedName) event.stopPropagation();
  },
  true,
);

// A filter the FilterSet refuses answers 400 with the reason beside it; htmx leaves error answers unswapped by
// default, so the search's own is swapped in like any other.
document.addEventListener("htmx:beforeSwap", (event) => {
  const target = event.detail.target;
  if (event.detail.xhr.status === 400 && target && target.id === "search-region") {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

document.addEventListener("htmx:afterSettle", () => {
  for (const picker of document.querySelectorAll("#search-form [data-picker]")) {
    const typed = picker.querySelector("input[type=search]");
    const errors = picker.querySelector(".errorlist");
    if (errors) typed.setAttribute("aria-invalid", "true");
    else typed.removeAttribute("aria-invalid");
  }
});

// The address the search leaves in the history names only the filters in use (?q=drones&type=quote), as a URL
// written by hand or for the API would; the form sent without JavaScript sends every field, which means the same.
document.addEventListener("htmx:configRequest", (event) => {
  if (event.detail.elt.id !== "search-form") return;
  const sent = event.detail.formData;
  for (const name of new Set(sent.keys())) {
    if (sent.getAll(name).every((value) => value === "")) sent.delete(name);
  }
});
