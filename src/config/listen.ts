/**
 * `HOST:PORT` for the /metrics listener (SPEC §9.4 `metrics_listen`, `--metrics-listen`). Pure.
 * A bare `:PORT` would bind every interface, so it is refused: the address to expose the
 * room's state on is always written out.
 */
import { isIP } from 'node:net';

export interface ListenAddress {
  host: string;
  port: number;
}

/** The address, or the reason it is not one (for a config problem or a usage error). */
export function parseListen(text: string): ListenAddress | { error: string } {
  const s = text.trim();
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(s);
  if (!m) return { error: `"${text}" is not HOST:PORT (e.g. 127.0.0.1:9464 or [::1]:9464)` };
  const host = (m[1] ?? m[2])!;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return { error: `port ${m[3]} is not 1..65535` };
  if (m[1] !== undefined && isIP(host) !== 6) return { error: `"${host}" in brackets is not an IPv6 address` };
  if (m[2] !== undefined && isIP(host) === 0 && !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(host)) {
    return { error: `"${host}" is not an IP address or host name` };
  }
  return { host, port };
}

/** Only these stay on this machine; anything else is served to whoever can reach the host. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

export function formatListen(a: ListenAddress): string {
  return isIP(a.host) === 6 ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}
