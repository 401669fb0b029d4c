// The search page (desk/search/search.html): the form searches as you type, and whenever a filter changes,
// through htmx attributes on the form. A speaker filter searches once a speaker is picked (desk.js's "picked"
// event), not each time its half-typed name loses focus; emptying it searches again, without that speaker.
"use strict";

document.addEventListener(
  "change",
  (event) => {
    const field = event.target;
    if (field.type === "search" && field.closest("#search-form [data-picker]") && field.value.trim() !== "") {
      event.stopPropagation();
    }
  },
  true,
);
