// Intake (desk:intake): the paste's length against the desk's limit as it is typed, the attribution switch
// finding the candidates again at once, a candidate's span taken from words selected in the text, and a fixed
// candidate marked accepted. The page works without it: every control is a plain form field or button.
"use strict";

(function () {
  const form = document.querySelector("[data-intake]");
  if (!form) return;

  const limitBox = form.querySelector("[data-paste-limit]");
  if (limitBox) {
    const limit = Number(limitBox.dataset.pasteLimit);
    const text = limitBox.querySelector("textarea");
    const count = limitBox.querySelector("[data-paste-count]");
    const show = () => {
      const length = Array.from(text.value).length;
      count.textContent = `${length.toLocaleString()} of up to ${limit.toLocaleString()} characters.`;
      count.classList.toggle("is-over", length > limit);
    };
    text.addEventListener("input", show);
    show();
  }

  const preview = form.querySelector("button[name=action][value=preview]");
  const every = form.querySelector("[name=every_attribution]");
  if (every && preview && form.querySelector("[name=revision]")) {
    every.addEventListener("change", () => form.requestSubmit(preview));
  }

  // The last selection made in the text: pressing a button may clear the selection itself.
  const body = document.querySelector("[data-body-text]");
  let selected = null;
  if (body && window.DeskText) {
    document.addEventListener("selectionchange", () => {
      const span = window.DeskText.selectedSpan(body);
      if (span) selected = span;
    });
    form.querySelectorAll("[data-use-selection]").forEach((button) => {
      button.hidden = false;
      const note = document.createElement("span");
      note.className = "helptext";
      note.setAttribute("aria-live", "polite");
      button.after(note);
      button.addEventListener("click", () => {
        if (!selected) {
          note.textContent = "Select the words in the article's text first.";
          return;
        }
        const prefix = button.dataset.useSelection;
        form.querySelector(`[name="${prefix}-start"]`).value = selected.start;
        form.querySelector(`[name="${prefix}-end"]`).value = selected.end;
        note.textContent = `Now ${selected.start}–${selected.end}: “${selected.words}”`;
        accept(button.closest("[data-candidate]"));
      });
    });
  }

  // Fixing a candidate left for later means accepting it.
  function accept(card) {
    const later = card && card.querySelector("input[type=radio][value=later]");
    if (later && later.checked) card.querySelector("input[type=radio][value=accept]").checked = true;
  }
  form.addEventListener("change", (event) => {
    if (event.target.closest(".candidate__fix")) accept(event.target.closest("[data-candidate]"));
  });
  form.addEventListener("picked", (event) => accept(event.target.closest("[data-candidate]")));
})();
