import { describe, expect, it, vi } from 'vitest';
import { apiRequest, headerSafe } from './api-request';

const answer = (status: number, body?: unknown) =>
  vi.fn(async () => new Response(body === undefined ? null : JSON.stringify(body), { status }));

describe('apiRequest', () => {
  it('sends the token, a JSON body and the person’s name, and returns the answer', async () => {
    const send = answer(201, { id: 'v1' });
    expect(await apiRequest('/api/x', { token: 'tok', method: 'POST', body: { a: 1 }, person: ' Zoë 李 ' }, send)).toEqual({
      ok: true,
      value: { id: 'v1' },
    });
    expect(send).toHaveBeenCalledWith('/api/x', {
      method: 'POST',
      headers: { authorization: 'Bearer tok', 'content-type': 'application/json', 'x-waymark-person': headerSafe('Zoë 李') },
      body: '{"a":1}',
    });
  });

  it('carries the server’s words on a refusal, says when there was no answer, and reads 204 as null', async () => {
    expect(await apiRequest('/api/x', { token: 't' }, answer(403, { error: 'only the owner may' }))).toEqual({
      ok: false,
      status: 403,
      error: 'only the owner may',
    });
    expect(await apiRequest('/api/x', { token: 't' }, answer(500))).toEqual({ ok: false, status: 500, error: 'the server answered 500' });
    const down = vi.fn(async () => Promise.reject(new TypeError('failed to fetch')));
    expect(await apiRequest('/api/x', { token: 't' }, down)).toEqual({ ok: false, status: 0, error: 'the server could not be reached' });
    expect(await apiRequest('/api/x', { token: 't', method: 'DELETE' }, answer(204))).toEqual({ ok: true, value: null });
  });
});
