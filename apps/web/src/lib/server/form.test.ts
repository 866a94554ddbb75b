import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FORM_ERROR, formList, formText, formValues, parseForm, validateForm } from './form.js';

function data(entries: [string, string][]): FormData {
  const d = new FormData();
  for (const [k, v] of entries) d.append(k, v);
  return d;
}

const Schema = z
  .object({ name: formText('a name', 10), password: z.string().min(8, 'Too short.') })
  .refine((v) => v.name !== 'root', { message: 'Not allowed.' });

describe('form validation', () => {
  it('returns the data when valid', () => {
    const r = parseForm(
      data([
        ['name', ' Ana '],
        ['password', 'long-enough'],
      ]),
      Schema,
    );
    expect(r.ok && r.data).toEqual({ name: 'Ana', password: 'long-enough' });
  });

  it('fails with 400, one message per field, values kept except passwords', () => {
    const r = parseForm(
      data([
        ['name', ''],
        ['password', 'short'],
      ]),
      Schema,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.failure.status).toBe(400);
    expect(r.failure.data).toEqual({
      values: { name: '' },
      errors: { name: 'Enter a name.', password: 'Too short.' },
    });
  });

  it('puts whole-form problems under FORM_ERROR', () => {
    const r = parseForm(
      data([
        ['name', 'root'],
        ['password', 'long-enough'],
      ]),
      Schema,
    );
    expect(!r.ok && r.failure.data.errors).toEqual({ [FORM_ERROR]: 'Not allowed.' });
  });

  it('reads repeated names as arrays and formList accepts one or many', () => {
    const d = data([
      ['s', 'a'],
      ['s', 'b'],
      ['t', 'c'],
    ]);
    expect(formValues(d)).toEqual({ s: ['a', 'b'], t: 'c' });
    const L = z.object({
      s: formList(z.string()),
      t: formList(z.string()),
      u: formList(z.string()),
    });
    const r = parseForm(d, L);
    expect(r.ok && r.data).toEqual({ s: ['a', 'b'], t: ['c'], u: [] });
  });

  it('treats a body that is not a form as an empty form', async () => {
    const request = new Request('http://x.test/', {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=zz' },
      body: 'garbage',
    });
    const r = await validateForm(request, Schema);
    expect(!r.ok && Object.keys(r.failure.data.errors)).toEqual(['name', 'password']);
  });
});
