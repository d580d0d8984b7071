/** The pages of the web app, read from the address bar. */
export type Route = { page: 'home' } | { page: 'map'; mapId: string; token: string | null; embedded: boolean };

export function readRoute(location: Location): Route {
  const match = /^\/(maps|embed)\/([A-Za-z0-9_-]{1,64})\/?$/.exec(location.pathname);
  if (!match) return { page: 'home' };
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  return { page: 'map', mapId: match[2]!, token, embedded: match[1] === 'embed' };
}
