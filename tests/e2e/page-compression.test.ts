/**
 * What the web app renders is sent compressed when the browser asks for it (issue 37, P7): a
 * document page's HTML and its `__data.json` with brotli or gzip as Accept-Encoding says, as is
 * without it, and marked private (the page's data carries this member's sync tickets).
 */
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  baseUrl,
  createWorkspaceByHttp,
  SESSION_COOKIE,
  signUpByHttp,
  type Person,
} from './workspace-support.js';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A GET whose body comes back exactly as sent (fetch would decode it). */
function rawGet(path: string, person: Person, acceptEncoding?: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${baseUrl}${path}`,
      {
        headers: {
          accept: 'text/html',
          cookie: `${SESSION_COOKIE}=${person.session}`,
          ...(acceptEncoding !== undefined && { 'accept-encoding': acceptEncoding }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('compressed pages', () => {
  it("sends a document page's HTML and data compressed as asked, and keeps them private", async () => {
    const owner = await signUpByHttp('Olive Owner');
    const workspaceId = await createWorkspaceByHttp(owner, 'Compression');
    const workspace = await rawGet(`/w/${workspaceId}`, owner, 'gzip');
    expect(workspace.status).toBe(200);
    const workspaceHtml = gunzipSync(workspace.body).toString();
    const documentId = new RegExp(`/w/${workspaceId}/documents/([0-9a-f-]{36})`).exec(
      workspaceHtml,
    )?.[1];
    expect(documentId).toBeDefined();
    const path = `/w/${workspaceId}/documents/${documentId}`;

    const br = await rawGet(path, owner, 'gzip, deflate, br');
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(br.headers['cache-control']).toBe('private, no-cache');
    const html = brotliDecompressSync(br.body).toString();
    expect(html).toMatch(/^<!doctype html>/i);
    // The page comes with ready sync tickets for its documents.
    expect(html).toContain('expiresAt');
    expect(br.body.length).toBeLessThan(html.length / 3);

    const plain = await rawGet(path, owner);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toMatch(/^<!doctype html>/i);

    const data = await rawGet(`${path}/__data.json`, owner, 'gzip');
    expect(data.status).toBe(200);
    expect(data.headers['content-encoding']).toBe('gzip');
    expect(data.headers['cache-control']).toBe('private, no-cache');
    expect(JSON.parse(gunzipSync(data.body).toString())).toMatchObject({ type: 'data' });
  });
});
