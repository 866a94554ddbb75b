import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  compilerOptions: {
    runes: true,
  },
  kit: {
    adapter: adapter(),
    // Absolute links in server-rendered HTML: the same markup before and after hydration.
    paths: { relative: false },
    // The layout registers the service worker once the page is idle (src/lib/offline-pages.ts),
    // so its install does not compete with the first page load.
    serviceWorker: { register: false },
  },
};

export default config;
