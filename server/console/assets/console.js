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
  const button = document.querySelector(
    `button[data-key="${CSS.escape(event.key.toLowerCase())}"]:not([disabled])`,
  );
  if (!button) return;
  event.preventDefault();
  button.click();
});
