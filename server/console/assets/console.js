// Keyboard labelling on the review queue: a key presses the button carrying it (data-key). The buttons
// are ordinary form submits, so the queue works without this script and every keystroke is one POST.
document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
  const target = event.target;
  if (
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement
  )
    return;
  const filter = document.getElementById("topic-filter");
  if (event.key === "/" && filter) {
    event.preventDefault();
    filter.focus();
    return;
  }
  const button = document.querySelector(
    `button[data-key="${CSS.escape(event.key.toLowerCase())}"]:not([disabled])`,
  );
  if (!button) return;
  event.preventDefault();
  button.click();
});

// Type to filter (as Label Studio's Filter tag): only 32 topics get a key, so `/` focuses a box that
// narrows the choices to those whose name, department or terms hold every typed word; arrows move
// the highlight, Enter labels with it, Esc clears. Without script the box stays hidden.
const filter = document.getElementById("topic-filter");
if (filter instanceof HTMLInputElement) {
  const choices = [...document.querySelectorAll("#label-form button[data-filter]")];
  const status = document.getElementById("topic-filter-status");
  const haystacks = new Map(choices.map((b) => [b, b.getAttribute("data-filter").toLowerCase()]));
  let active = null;

  const visible = () => choices.filter((b) => !b.hidden);
  const highlight = (button) => {
    active?.classList.remove("active");
    active?.removeAttribute("aria-current");
    active = button;
    active?.classList.add("active");
    active?.setAttribute("aria-current", "true");
    active?.scrollIntoView({ block: "nearest" });
    const shown = visible().length;
    status.textContent =
      shown === 0
        ? "No topic matches; Esc clears."
        : `${shown} of ${choices.length} topics` +
          (active ? `; Enter labels ${active.getAttribute("data-name")}.` : ".");
  };
  const narrow = () => {
    const words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    for (const button of choices)
      button.hidden = !words.every((word) => haystacks.get(button).includes(word));
    highlight(words.length > 0 ? (visible()[0] ?? null) : null);
  };

  document.getElementById("topic-filter-box").hidden = false;
  filter.addEventListener("input", narrow);
  filter.addEventListener("keydown", (event) => {
    if (event.isComposing) return; // an input method's Enter or Esc belongs to it
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const shown = visible();
      if (shown.length === 0) return;
      const step = event.key === "ArrowDown" ? 1 : -1;
      const at = active ? shown.indexOf(active) : step > 0 ? -1 : 0;
      highlight(shown[(at + step + shown.length) % shown.length]);
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (active && !event.repeat) active.click();
    } else if (event.key === "Escape") {
      event.preventDefault();
      if (filter.value === "") filter.blur();
      filter.value = "";
      narrow();
    }
  });
}
