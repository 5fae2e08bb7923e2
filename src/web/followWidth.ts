// Redraws when an element's width changes, whatever changed it: the window, a scrollbar that comes or
// goes, the controls' column; a change of height alone (a redraw's own) does not count.

/** Calls `redraw` once the width of `element` has settled (`settleMs` after its last change). */
export function followWidth(element: HTMLElement, redraw: () => void, settleMs = 200): void {
  let drawnAt = element.clientWidth, timer: ReturnType<typeof setTimeout> | undefined;
  new ResizeObserver(() => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const width = element.clientWidth;
      if (width === drawnAt || width === 0) return;
      // hidden until the first results, which are drawn at the width they are shown at
      const shownNow = drawnAt === 0;
      drawnAt = width;
      if (!shownNow) redraw();
    }, settleMs);
  }).observe(element);
}
