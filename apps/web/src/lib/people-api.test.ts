import { describe, expect, it } from 'vitest';
import { fetchPeopleNames } from './people-api';

const answer = (status: number, body: unknown): typeof fetch =>
  (async () => new Response(JSON.stringify(body), { status })) as typeof fetch;

describe('fetchPeopleNames', () => {
  it('takes the names the server gives, and nothing else', async () => {
    expect(await fetchPeopleNames('m', 't', answer(200, { names: ['Ben', ' ', 3, 'Ana'] }))).toEqual(['Ben', 'Ana']);
  });

  it('answers no names when the server refuses, says nonsense or cannot be reached', async () => {
    expect(await fetchPeopleNames('m', 't', answer(401, { error: 'no' }))).toEqual([]);
    expect(await fetchPeopleNames('m', 't', answer(200, { names: 'Ben' }))).toEqual([]);
    expect(
      await fetchPeopleNames('m', 't', (async () => {
        throw new TypeError('offline');
      }) as typeof fetch),
    ).toEqual([]);
  });
});
