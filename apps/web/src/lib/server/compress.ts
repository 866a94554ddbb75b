/**
 * Compression of what the web app renders (HTML, `__data.json`, JSON and text answers), applied
 * in the server hook to every response SvelteKit produces, so the one-process host and
 * `node build/index.js` both send it compressed. Built assets never reach the hook: adapter-node
 * serves them before SvelteKit, from their precompressed `.br`/`.gz` files.
 *
 * - Honours Accept-Encoding (with q-values): brotli when accepted, else gzip, else as is.
 * - Leaves alone: a response that already has a Content-Encoding, `Cache-Control: no-transform`,
 *   bodiless answers (HEAD, 204, 304, redirects), small bodies, types that do not compress, and
 *   event streams (SvelteKit's streamed `text/sv-event-stream` data, SSE), so what streams keeps
 *   streaming chunk by chunk.
 * - Flushes after every chunk of the body, so a streamed HTML page (a promise resolved after the
 *   shell) still reaches the browser in parts.
 * - Adds `Vary: Accept-Encoding`, drops Content-Length (the length changes).
 */
import { once } from 'node:events';
import { Readable } from 'node:stream';
import {
  constants,
  createBrotliCompress,
  createGzip,
  type BrotliCompress,
  type Gzip,
} from 'node:zlib';

export type Encoding = 'br' | 'gzip';

/** Below this (when the length is known), compressing saves too little to be worth it. */
export const MIN_COMPRESS_BYTES = 1024;

const COMPRESSIBLE =
  /^(?:text\/(?:html|plain|css|javascript|xml|csv)|application\/(?:json|javascript|xml|manifest\+json|[a-z.+-]+\+json|[a-z.+-]+\+xml)|image\/svg\+xml)\b/i;

/** The encoding to answer with for this Accept-Encoding header, or null for none. */
export function chooseEncoding(acceptEncoding: string | null): Encoding | null {
  if (!acceptEncoding) return null;
  const q = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    let weight = 1;
    for (const p of params) {
      const [k, v] = p.trim().split('=');
      if (k === 'q' && v !== undefined) {
        const n = Number(v);
        weight = Number.isFinite(n) ? n : 0;
      }
    }
    q.set(name, weight);
  }
  const weight = (name: Encoding) => q.get(name) ?? (q.has('*') ? q.get('*')! : 0);
  const br = weight('br');
  const gzip = weight('gzip');
  if (br > 0 && br >= gzip) return 'br';
  if (gzip > 0) return 'gzip';
  return null;
}

/** Whether this response should be compressed (before choosing an encoding). */
export function compressible(method: string, response: Response): boolean {
  if (method === 'HEAD' || response.body === null) return false;
  if (response.status < 200 || response.status === 204 || response.status === 206) return false;
  if (response.status === 304 || (response.status >= 300 && response.status < 400)) return false;
  const headers = response.headers;
  if (headers.has('content-encoding')) return false;
  if (/\bno-transform\b/i.test(headers.get('cache-control') ?? '')) return false;
  const type = headers.get('content-type') ?? '';
  if (!COMPRESSIBLE.test(type)) return false;
  const length = headers.get('content-length');
  if (length !== null && Number(length) < MIN_COMPRESS_BYTES) return false;
  return true;
}

function compressor(encoding: Encoding): BrotliCompress | Gzip {
  if (encoding === 'gzip') return createGzip({ level: 6 });
  // Quality 5: most of brotli's gain over gzip at a small part of the default (11)'s cost, which
  // is meant for files compressed once, not a page rendered per request.
  return createBrotliCompress({
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 5,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    },
  });
}

/** A stream compressing `body`, flushed after every chunk so streamed parts arrive in parts. */
export function compressStream(
  body: ReadableStream<Uint8Array>,
  encoding: Encoding,
): ReadableStream<Uint8Array> {
  const z = compressor(encoding);
  const flushMode = encoding === 'gzip' ? constants.Z_SYNC_FLUSH : constants.BROTLI_OPERATION_FLUSH;
  const reader = body.getReader();
  let closed = false;
  // The reader gives up (the browser went away): stop reading the body too.
  z.once('close', () => {
    closed = true;
    reader.cancel().catch(() => {});
  });
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done || closed) break;
        if (!z.write(value)) await once(z, 'drain');
        await new Promise<void>((resolve) => z.flush(flushMode, () => resolve()));
      }
      if (!closed) z.end();
    } catch (e) {
      z.destroy(e instanceof Error ? e : new Error(String(e)));
    }
  })();
  return Readable.toWeb(z) as ReadableStream<Uint8Array>;
}

/** The response compressed for this request, or the response itself when it should not be. */
export function compressResponse(request: Request, response: Response): Response {
  const vary = () => {
    const existing = response.headers.get('vary');
    return existing
      ? /\baccept-encoding\b/i.test(existing) || existing.trim() === '*'
        ? existing
        : `${existing}, Accept-Encoding`
      : 'Accept-Encoding';
  };
  if (!compressible(request.method, response)) return response;
  const encoding = chooseEncoding(request.headers.get('accept-encoding'));
  const headers = new Headers(response.headers);
  headers.set('vary', vary());
  if (encoding === null) {
    return new Response(response.body, {
      status: response.status,
      statusText: response.statusText,
      headers,
    });
  }
  headers.set('content-encoding', encoding);
  headers.delete('content-length');
  return new Response(compressStream(response.body!, encoding), {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}
