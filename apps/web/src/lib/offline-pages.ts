/**
 * The page's side of offline pages (the worker is `src/service-worker.ts`), issue 37:
 *
 * - The worker is registered here, once the page has loaded and the browser is idle, not by
 *   SvelteKit at `load` (`kit.serviceWorker.register: false`): its install downloads every built
 *   script, the editor's included, and should not compete with the first page's hydration, its
 *   documents and its own lazy chunks.
 * - The worker keeps a page for offline when the browser loads it through the worker. It never
 *   sees the page of a client-side navigation (SvelteKit fetches only `__data.json`), nor a page
 *   loaded before it took control; so the page tells it about those, and it fetches and keeps the
 *   ones it keeps (workspace and document pages). A reload with no network then opens them
 *   whatever route led there.
 */
import { browser, dev } from '$app/environment';
import { afterNavigate } from '$app/navigation';
import { base } from '$app/paths';

/** Call once while the root layout initializes. */
export function offlinePages(): void {
  if (!browser || !('serviceWorker' in navigator)) return;
  // Read before registration (below, at idle): a page with no controller now was not loaded
  // through the worker, and the worker has not kept it.
  const loadedThroughWorker = navigator.serviceWorker.controller !== null;
  afterNavigate(({ type, to }) => {
    if (type === 'enter') registerWhenIdle();
    if (!to || (type === 'enter' && loadedThroughWorker)) return;
    const path = to.url.pathname;
    // Waits for the worker on a first visit; the worker ignores pages it does not keep.
    void navigator.serviceWorker.ready.then((registration) =>
      registration.active?.postMessage({ type: 'keep-page', path }),
    );
  });
}

function registerWhenIdle(): void {
  const register = () => {
    navigator.serviceWorker
      .register(`${base}/service-worker.js`, { type: dev ? 'module' : 'classic' })
      // No worker (private mode, an old browser): the app works as it does without one, online.
      .catch(() => undefined);
  };
  // The timeout registers it anyway on a page that never goes idle.
  const whenIdle = () =>
    'requestIdleCallback' in window
      ? requestIdleCallback(register, { timeout: 5_000 })
      : setTimeout(register, 1_000);
  if (document.readyState === 'complete') whenIdle();
  else addEventListener('load', whenIdle, { once: true });
}
