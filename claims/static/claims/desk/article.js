// A body's text at the desk (the article page, and intake's preview): words selected in it become offsets into
// the article's body. The server renders every piece of body text as <span data-start="N">, holding the body's
// characters from N on; labels and the rest carry no data-start and count for nothing. Offsets are in code
// points, as Python counts them, not in the UTF-16 units of JavaScript strings.
"use strict";

(function () {
  const SEGMENT = "[data-start]";

  function codePoints(text) {
    return Array.from(text);
  }

  function segmentsOf(root) {
    return Array.from(root.querySelectorAll(SEGMENT)).map((element) => {
      const chars = codePoints(element.textContent);
      const start = Number(element.dataset.start);
      return { element, start, end: start + chars.length, chars };
    });
  }

  // The body offset of the boundary point (node, offset); a point outside every segment (in a label, between
  // paragraphs) moves to the next segment's start (edge "start") or the previous one's end (edge "end").
  function offsetOf(segments, node, offset, edge) {
    if (node.nodeType === Node.TEXT_NODE && node.parentElement && node.parentElement.matches(SEGMENT)) {
      return Number(node.parentElement.dataset.start) + codePoints(node.data.slice(0, offset)).length;
    }
    const own = segments.find((segment) => segment.element === node);
    if (own) return offset === 0 ? own.start : own.end;
    const range = document.createRange();
    if (edge === "start") {
      for (const segment of segments) {
        range.selectNodeContents(segment.element);
        if (range.comparePoint(node, offset) <= 0) return segment.start;
      }
      return null;
    }
    for (let index = segments.length - 1; index >= 0; index -= 1) {
      range.selectNodeContents(segments[index].element);
      if (range.comparePoint(node, offset) >= 0) return segments[index].end;
    }
    return null;
  }

  // The body's characters from start to end, each with its offset, as far as the segments hold them.
  function charactersBetween(segments, start, end) {
    const found = [];
    for (const segment of segments) {
      if (segment.end <= start || segment.start >= end) continue;
      for (let at = Math.max(start, segment.start); at < Math.min(end, segment.end); at += 1) {
        found.push({ at, char: segment.chars[at - segment.start] });
      }
    }
    return found;
  }

  // The selection inside `root` as {start, end, words}: offsets into the body, whitespace trimmed from both ends,
  // words as the body has them (a paragraph break between paragraphs). Null without a selection in it.
  function selectedSpan(root) {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
    const range = selection.getRangeAt(0);
    if (!range.intersectsNode(root)) return null;
    const segments = segmentsOf(root);
    if (!segments.length) return null;
    let start = root.contains(range.startContainer)
      ? offsetOf(segments, range.startContainer, range.startOffset, "start")
      : segments[0].start;
    let end = root.contains(range.endContainer)
      ? offsetOf(segments, range.endContainer, range.endOffset, "end")
      : segments[segments.length - 1].end;
    if (start === null || end === null || start >= end) return null;
    const chars = charactersBetween(segments, start, end);
    while (chars.length && /\s/u.test(chars[0].char)) chars.shift();
    while (chars.length && /\s/u.test(chars[chars.length - 1].char)) chars.pop();
    if (!chars.length) return null;
    start = chars[0].at;
    end = chars[chars.length - 1].at + 1;
    let words = "";
    chars.forEach((item, index) => {
      if (index && item.at !== chars[index - 1].at + 1) words += "\n\n";
      words += item.char;
    });
    return { start, end, words };
  }

  window.DeskText = { selectedSpan };

  // Quotes and candidates in the text: the one the address points to is outlined, every piece of it.
  function markCurrent() {
    document.querySelectorAll(".is-current").forEach((element) => element.classList.remove("is-current"));
    const match = /^#(quote|candidate|candidate-mark)-(\d+)$/.exec(window.location.hash);
    if (!match) return;
    const attribute = match[1] === "quote" ? "data-quote" : "data-candidate";
    document.querySelectorAll(`[${attribute}="${match[2]}"]`).forEach((element) => element.classList.add("is-current"));
  }
  window.addEventListener("hashchange", markCurrent);
  markCurrent();

  // The article page: select words, press the button beside them, and the "Record a quote" form holds them.
  const body = document.querySelector("[data-body-text][data-selectable]");
  const form = document.querySelector("[data-record-form]");
  const button = document.querySelector("[data-selection-button]");
  if (!body || !form || !button) return;
  const words = form.querySelector("[name=text]");
  const startField = form.querySelector("[name=start]");
  const endField = form.querySelector("[name=end]");
  const shown = form.querySelector("[data-selected-words]");
  const panel = form.closest("details");
  let chosen = null;

  function offerButton() {
    chosen = selectedSpan(body);
    if (!chosen) {
      button.hidden = true;
      return;
    }
    const rect = window.getSelection().getRangeAt(0).getBoundingClientRect();
    button.style.top = `${window.scrollY + rect.bottom + 8}px`;
    button.style.left = `${Math.max(8, window.scrollX + rect.left)}px`;
    button.hidden = false;
  }
  body.addEventListener("mouseup", () => window.setTimeout(offerButton, 0));
  body.addEventListener("keyup", offerButton);
  document.addEventListener("selectionchange", () => {
    if (!button.hidden && !selectedSpan(body)) button.hidden = true;
  });

  button.addEventListener("click", () => {
    if (!chosen) return;
    words.value = chosen.words;
    words.dataset.selected = chosen.words;
    startField.value = chosen.start;
    endField.value = chosen.end;
    shown.textContent = `Selected at ${chosen.start}–${chosen.end}: “${chosen.words}”`;
    shown.hidden = false;
    button.hidden = true;
    if (panel) panel.open = true;
    (panel || form).scrollIntoView({ block: "start", behavior: "smooth" });
    form.querySelector("[name=speaker_q]").focus({ preventScroll: true });
  });

  // Words typed over a selection are found in the text when saved: the old offsets no longer hold them.
  words.addEventListener("input", () => {
    if (words.dataset.selected !== undefined && words.value !== words.dataset.selected) {
      startField.value = "";
      endField.value = "";
      shown.hidden = true;
      delete words.dataset.selected;
    }
  });
})();
