/**
 * An http gate's `path` joined to its source's url. Joined, not resolved: `/healthz` on
 * `http://h/api` is `http://h/api/healthz`, as a base url with a prefix (a proxy, Grafana's
 * sub-path) is meant; URL resolution would drop the prefix.
 */
export function joinSourceUrl(base: string, path: string): string {
  const u = new URL(base);
  const q = path.search(/[?#]/);
  const rel = q < 0 ? path : path.slice(0, q);
  const rest = q < 0 ? '' : path.slice(q);
  const left = u.pathname.replace(/\/+$/, '');
  const right = rel === '' ? '' : '/' + rel.replace(/^\/+/, '');
  u.pathname = left + right || '/';
  u.hash = '';
  if (rest) {
    const extra = new URL(rest, 'http://x');
    // The source's own query parameters stay; the gate's are added after them.
    for (const [k, v] of extra.searchParams) u.searchParams.append(k, v);
  }
  return u.toString();
}
