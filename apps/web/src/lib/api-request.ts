import { serverError } from './library-api';

/**
 * One way for the page to call the server's JSON API with its link: the token as a bearer, an
 * optional JSON body, the person's name when a record should carry it. Every answer comes back
 * as a value or the server's own words; nothing throws.
 */

export type ApiAnswer<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly status: number; readonly error: string };

export interface ApiCall {
  readonly token: string;
  readonly method?: string;
  /** Sent as JSON. */
  readonly body?: unknown;
  /** The person's display name, for what the server records (versions, imports). */
  readonly person?: string | null | undefined;
  readonly headers?: Readonly<Record<string, string>>;
}

export type Fetch = typeof fetch;

export const NOT_UNDERSTOOD = { ok: false, status: 0, error: 'the server sent an answer this page does not understand' } as const;

/** A name as an HTTP header can carry it, whatever its script: percent-encoded UTF-8 (the server decodes it). */
export function headerSafe(text: string): string {
  return encodeURIComponent(text.slice(0, 100));
}

/** Calls `path`; a 204 is a null value, a refusal carries the server's `error`, no connection says so. */
export async function apiRequest(
  path: string,
  call: ApiCall,
  send: Fetch = (input, init) => fetch(input, init),
): Promise<ApiAnswer<unknown>> {
  const person = call.person?.trim();
  const headers: Record<string, string> = {
    authorization: `Bearer ${call.token}`,
    ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
    ...(person ? { 'x-waymark-person': headerSafe(person) } : {}),
    ...call.headers,
  };
  let response: Response;
  try {
    response = await send(path, {
      method: call.method ?? 'GET',
      headers,
      ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
    });
  } catch {
    return { ok: false, status: 0, error: 'the server could not be reached' };
  }
  if (response.status === 204) return { ok: true, value: null };
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) return { ok: true, value: body };
  return { ok: false, status: response.status, error: serverError(body) || `the server answered ${response.status}` };
}
