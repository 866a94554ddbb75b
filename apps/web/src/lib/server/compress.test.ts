import { brotliDecompressSync, constants, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { chooseEncoding, compressResponse, MIN_COMPRESS_BYTES } from './compress';

const html = `<!doctype html><html><body>${'<p>School Planning Tool</p>'.repeat(400)}</body></html>`;

function request(acceptEncoding?: string, method = 'GET'): Request {
  const headers = new Headers();
  if (acceptEncoding !== undefined) headers.set('accept-encoding', acceptEncoding);
  return new Request('http://localhost/w/x', { method, headers });
}

const page = (body: BodyInit | null = html, headers: Record<string, string> = {}) =>
  new Response(body, { headers: { 'content-type': 'text/html', ...headers } });

describe('chooseEncoding', () => {
  it('prefers brotli, then gzip, honouring q-values', () => {
    expect(chooseEncoding('gzip, deflate, br, zstd')).toBe('br');
    expect(chooseEncoding('gzip, deflate')).toBe('gzip');
    expect(chooseEncoding('br;q=0, gzip')).toBe('gzip');
    expect(chooseEncoding('br;q=0.5, gzip;q=0.8')).toBe('gzip');
    expect(chooseEncoding('*')).toBe('br');
    expect(chooseEncoding('identity')).toBeNull();
    expect(chooseEncoding('gzip;q=0')).toBeNull();
    expect(chooseEncoding(null)).toBeNull();
  });
});

describe('compressResponse', () => {
  it('compresses HTML with brotli or gzip, and says it varies', async () => {
    const br = compressResponse(request('gzip, br'), page());
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toBe('Accept-Encoding');
    expect(br.headers.get('content-length')).toBeNull();
    const brBytes = Buffer.from(await br.arrayBuffer());
    expect(brBytes.length).toBeLessThan(html.length / 10);
    expect(brotliDecompressSync(brBytes).toString()).toBe(html);

    const gz = compressResponse(request('gzip'), page());
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(html);
  });

  it('keeps a streamed body in parts: each chunk is flushed as it comes', async () => {
    let push!: (s: string) => void;
    let end!: () => void;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        push = (s) => c.enqueue(new TextEncoder().encode(s));
        end = () => c.close();
      },
    });
    const res = compressResponse(request('gzip'), page(body));
    const reader = res.body!.getReader();
    push(html);
    // What has arrived decodes to the first part before the body has ended.
    const parts: Uint8Array[] = [];
    const decoded = () =>
      gunzipSync(Buffer.concat(parts), { finishFlush: constants.Z_SYNC_FLUSH }).toString();
    while (parts.length === 0 || decoded() !== html) {
      const r = await Promise.race([
        reader.read(),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('the first part was not flushed')), 2000),
        ),
      ]);
      if (r.done) throw new Error('ended early');
      parts.push(r.value);
    }
    push('<p>later</p>');
    end();
    for (let r = await reader.read(); !r.done; r = await reader.read()) parts.push(r.value);
    expect(gunzipSync(Buffer.concat(parts)).toString()).toBe(`${html}<p>later</p>`);
  });

  it('adds Vary but sends as is when the browser accepts no encoding', async () => {
    const res = compressResponse(request(), page());
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(res.headers.get('vary')).toBe('Accept-Encoding');
    expect(await res.text()).toBe(html);
  });

  it('leaves alone what must not or need not be compressed', () => {
    const same = (req: Request, res: Response) => expect(compressResponse(req, res)).toBe(res);
    same(request('br', 'HEAD'), page(null));
    same(request('br'), page(html, { 'content-encoding': 'gzip' }));
    same(request('br'), page(html, { 'cache-control': 'no-transform' }));
    same(request('br'), page('short', { 'content-length': String(MIN_COMPRESS_BYTES - 1) }));
    same(request('br'), new Response(html, { headers: { 'content-type': 'image/png' } }));
    same(request('br'), new Response(html, { headers: { 'content-type': 'text/sveltekit-data' } }));
    same(request('br'), new Response(html, { headers: { 'content-type': 'text/event-stream' } }));
    same(request('br'), new Response(null, { status: 204 }));
    same(request('br'), new Response(null, { status: 303, headers: { location: '/' } }));
  });

  it('keeps an existing Vary', () => {
    const res = compressResponse(request('br'), page(html, { vary: 'Cookie' }));
    expect(res.headers.get('vary')).toBe('Cookie, Accept-Encoding');
  });
});
