/**
 * The service worker: what lets a workspace or document page open with no network.
 *
 * - The app's built assets are cached at install (cache first: their names carry a hash). The
 *   page registers the worker only once it has loaded and the browser is idle
 *   (`$lib/offline-pages.ts`), so this download never competes with a first page load.
 * - Workspace and document pages ("kept pages") and their `__data.json` are network first, kept
 *   as last seen, and served from the cache only when the network fails; the page then shows
 *   the document from IndexedDB.
 * - A page the browser did not load through this worker (every client-side navigation, where
 *   SvelteKit fetches only `__data.json`; a page loaded before the worker took control) is
 *   reported by the page (`keep-page` message) and fetched here in the background, so a reload
 *   with no network finds it whatever route led to it.
 * - Nothing else is cached: tickets, forms and every other page always go to the server. A
 *   document page's data does carry sync tickets for its first connections (issued with the
 *   page); kept with the page, they are this person's only, dropped with the page at sign out,
 *   and expire a minute after issue: the page uses one only while fresh by the clock
 *   ($lib/sync/ticket), so a page served from here always asks the ticket route.
 * - Whenever who is signed in may change (sign out, sign in, sign up, single sign-on) the kept
 *   pages are dropped: they hold the last person's name, role and documents.
 */
/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { build, files, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;
const ASSETS = `concord-assets-${version}`;
const PAGES = 'concord-pages';
const ASSET_PATHS = new Set([...build, ...files]);
/** A workspace's page or a document page: the pages kept for offline. */
const KEPT_PAGE = /^\/w\/[0-9a-f-]{36}(?:\/documents\/[0-9a-f-]{36})?\/?$/i;
/** SvelteKit's data for a page (client-side navigation): the page's path + `/__data.json`. */
const DATA_SUFFIX = '/__data.json';
/** The forms that end or start a session; single sign-on's return also starts one. */
const SESSION_FORM = /^\/(?:sign-out|sign-in|sign-up)\/?$/;
const SSO_RETURN = '/auth/oidc/callback';

/**
 * Bumped when the kept pages are dropped, so a page fetched under the last session that
 * arrives after the drop is not stored (it would bring the last person's page back).
 */
let session = 0;

function forgetPages(): Promise<boolean> {
  session += 1;
  return caches.delete(PAGES);
}

/** Whether the path is a kept page, or a kept page's data. */
function isKept(pathname: string): boolean {
  const page = pathname.endsWith(DATA_SUFFIX) ? pathname.slice(0, -DATA_SUFFIX.length) : pathname;
  return KEPT_PAGE.test(page);
}

/** Stores a page's answer if it is the page itself (not a sign-in redirect, not an error). */
async function keep(request: Request | string, response: Response, since: number): Promise<void> {
  if (!response.ok || response.redirected || response.type !== 'basic') return;
  if (since !== session) return;
  await (await caches.open(PAGES)).put(request, response);
}

sw.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(ASSETS)
      .then((cache) => cache.addAll([...ASSET_PATHS]))
      .then(() => sw.skipWaiting()),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key.startsWith('concord-assets-') && key !== ASSETS) await caches.delete(key);
      }
      await sw.clients.claim();
    })(),
  );
});

async function networkFirst(request: Request): Promise<Response> {
  const since = session;
  try {
    const response = await fetch(request);
    await keep(request, response.clone(), since);
    return response;
  } catch (error) {
    const cache = await caches.open(PAGES);
    // A page's HTML whatever its query. Data only for the same query: its
    // `x-sveltekit-invalidated` says which layouts the answer skips, and an answer that skips a
    // layout the page does not have breaks it. Without a match the fetch fails, and SvelteKit
    // falls back to loading the page itself, which the cache has if it was visited.
    const cached = await cache.match(request, {
      ignoreSearch: !new URL(request.url).pathname.endsWith(DATA_SUFFIX),
    });
    if (cached) return cached;
    throw error;
  }
}

/** Fetches a kept page the browser loaded without this worker, once at a time per page. */
const fetching = new Map<string, Promise<void>>();
function fetchAndKeep(pathname: string): Promise<void> {
  const running = fetching.get(pathname);
  if (running) return running;
  const since = session;
  const task = fetch(pathname, { headers: { accept: 'text/html' } })
    .then((response) => keep(pathname, response, since))
    .catch(() => {
      // Offline or refused: the page stays as last kept (or not kept), as with a navigation.
    })
    .finally(() => fetching.delete(pathname));
  fetching.set(pathname, task);
  return task;
}

sw.addEventListener('message', (event) => {
  const data: unknown = event.data;
  if (typeof data !== 'object' || data === null) return;
  const { type, path } = data as { type?: unknown; path?: unknown };
  if (type !== 'keep-page' || typeof path !== 'string') return;
  const { origin, pathname } = new URL(path, sw.location.origin);
  if (origin !== sw.location.origin || !KEPT_PAGE.test(pathname)) return;
  event.waitUntil(fetchAndKeep(pathname));
});

sw.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin) return;
  if (
    (request.method === 'POST' && SESSION_FORM.test(url.pathname)) ||
    (request.mode === 'navigate' && url.pathname === SSO_RETURN)
  ) {
    // Another person may be signed in next on this browser: forget the pages the last one saw
    // (also when the request itself fails: a sign-out offline still forgets them here).
    event.waitUntil(forgetPages());
    return;
  }
  if (request.method !== 'GET') return;
  if (ASSET_PATHS.has(url.pathname)) {
    event.respondWith(caches.match(request).then((hit) => hit ?? fetch(request)));
    return;
  }
  if (isKept(url.pathname)) event.respondWith(networkFirst(request));
});
