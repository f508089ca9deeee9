// threadline web app behaviour. Served as a file: the Content-Security-Policy allows no inline script.
"use strict";

// Review queue: j/k (or arrow keys) move between possible matches; s, n, u record
// "same", "not same", "unsure" for the current one. Typing in a comment box is left alone.
(function () {
  const queue = document.querySelector("ol.queue");
  if (!queue) return;
  const items = () => Array.from(queue.querySelectorAll(":scope > li"));
  let current = 0;

  function focusItem(index) {
    const all = items();
    if (all.length === 0) return;
    current = Math.max(0, Math.min(index, all.length - 1));
    all.forEach((item, i) => item.classList.toggle("current", i === current));
    all[current].focus();
  }

  function decide(value) {
    const item = items()[current];
    if (!item) return;
    const button = item.querySelector(`button[name="decision"][value="${value}"]`);
    if (button) button.form.requestSubmit(button);
  }

  const keys = {
    j: () => focusItem(current + 1), ArrowDown: () => focusItem(current + 1),
    k: () => focusItem(current - 1), ArrowUp: () => focusItem(current - 1),
    s: () => decide("same"), n: () => decide("not_same"), u: () => decide("unsure"),
  };

  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (target instanceof HTMLElement && target.closest("textarea, input, select")) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const action = keys[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });
  queue.addEventListener("focusin", (event) => {
    const index = items().findIndex((item) => item.contains(event.target));
    if (index >= 0) current = index;
  });
  focusItem(0);
})();
