/**
 * The service worker: what lets a document page open with no network. The app's built assets
 * are cached at install (cache first: their names carry a hash); document pages and their data
 * are network first, kept as last seen, and served from the cache only when the network fails,
 * so the page opens offline and then shows the document from IndexedDB. Nothing else is cached:
 * tickets, forms and every other page always go to the server. Signing out drops the cached
 * pages.
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
/** A document page, or the data of one for client-side navigation. */
const DOCUMENT_PAGE = /^\/w\/[0-9a-f-]{36}\/documents\/[0-9a-f-]{36}\/?(?:__data\.json)?$/i;

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
  const cache = await caches.open(PAGES);
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected && response.type === 'basic')
      await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(request, { ignoreSearch: true });
    if (cached) return cached;
    throw error;
  }
}

sw.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin) return;
  if (request.method === 'POST' && url.pathname.startsWith('/sign-out')) {
    // Another person may sign in next on this browser: forget the pages the last one saw.
    event.waitUntil(caches.delete(PAGES));
    return;
  }
  if (request.method !== 'GET') return;
  if (ASSET_PATHS.has(url.pathname)) {
    event.respondWith(caches.match(request).then((hit) => hit ?? fetch(request)));
    return;
  }
  if (DOCUMENT_PAGE.test(url.pathname)) event.respondWith(networkFirst(request));
});
