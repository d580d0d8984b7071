/**
 * The names of the people on a map, as the server knows them (its links' labels and its actions'
 * owners): what @mentions offer besides the names of those on the page now. An empty list when the
 * server cannot say; mentions then offer only those present.
 */
export async function fetchPeopleNames(mapId: string, token: string, fetcher: typeof fetch = fetch): Promise<string[]> {
  try {
    const response = await fetcher(`/api/maps/${encodeURIComponent(mapId)}/people`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!response.ok) return [];
    const body: unknown = await response.json();
    const names = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['names'] : null;
    return Array.isArray(names) ? names.filter((name): name is string => typeof name === 'string' && name.trim() !== '').slice(0, 500) : [];
  } catch {
    return [];
  }
}
