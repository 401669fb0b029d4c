// The claim page: its panels (evidence, related claims, discussion) re-render alone through htmx.
// A refused form comes back as 400 with the reasons beside its fields; htmx leaves error answers
// unswapped by default, so the panels' ones are swapped in like any other. Without JavaScript the
// same forms post and redirect.
"use strict";

document.addEventListener("htmx:beforeSwap", (event) => {
  const target = event.detail.target;
  if (event.detail.xhr.status === 400 && target && target.closest("[data-panel]")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// After a panel re-renders, put the keyboard back where the person was working: on the first field
// with an error if the form was refused, else on the panel's heading, which announces what changed.
document.addEventListener("htmx:afterSwap", (event) => {
  // htmx announces the swap on the new panel itself (the old one, the request's target, is gone).
  const panel = event.target;
  if (!(panel instanceof Element) || !panel.matches("[data-panel]")) return;
  const invalid = panel.querySelector("[aria-invalid=true]");
  if (invalid) {
    invalid.focus();
    return;
  }
  const heading = panel.querySelector("h2");
  if (heading) {
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  }
});
