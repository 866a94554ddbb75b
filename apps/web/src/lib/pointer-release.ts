/**
 * "Once the click in progress is over": a field's tools hide when focus leaves it, but focus
 * leaves on pointerdown, before the click lands; hiding at once moves the page up under the
 * pointer, and the click lands somewhere else (a rating radio missed, a button not pressed).
 * `afterPointerRelease` runs a function at once when no pointer is down, else just after the
 * click that releases it (pointerup, then a task later, after the browser's click event).
 */
let down = 0;
let installed = false;

function install(): void {
  if (installed || typeof document === 'undefined') return;
  installed = true;
  document.addEventListener('pointerdown', () => down++, true);
  const release = () => {
    down = Math.max(0, down - 1);
  };
  document.addEventListener('pointerup', release, true);
  document.addEventListener('pointercancel', release, true);
}

export function afterPointerRelease(run: () => void): void {
  install();
  if (down === 0) {
    run();
    return;
  }
  const done = () => {
    document.removeEventListener('pointerup', done, true);
    document.removeEventListener('pointercancel', done, true);
    setTimeout(run, 0);
  };
  document.addEventListener('pointerup', done, true);
  document.addEventListener('pointercancel', done, true);
}

/** Starts counting pointers (call once the page is interactive, before any focus moves). */
export function watchPointers(): void {
  install();
}
