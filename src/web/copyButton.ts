// A copy button that says what it did: "Copied" beside it, or where the clipboard is refused (an
// insecure origin, a denied permission) the text selected for a manual copy.

/** Wires `button` to copy `text()` and report the outcome in `status` (a role="status" element). */
export function copyButton(button: HTMLButtonElement, status: HTMLElement, text: () => string): void {
  let clear: ReturnType<typeof setTimeout> | undefined;
  button.onclick = async () => {
    clearTimeout(clear);
    try {
      await navigator.clipboard.writeText(text());
      status.textContent = 'Copied.';
    } catch {
      status.textContent = `Copy by hand: ${text()}`;
    }
    clear = setTimeout(() => (status.textContent = ''), 4000);
  };
}
