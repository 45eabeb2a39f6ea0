/** `type: http`: one request per gate, the value from its answer (adapters: src/sources/httpCheck.ts, httpValue.ts). */
import * as z from '../z.js';
import type { Path } from '../interpolate.js';
import { checkJsonPathSyntax } from '../jsonPathSyntax.js';
import type { RawGate } from '../gateSchema.js';
import { headers, httpUrl } from '../schemaParts.js';
import { joinSourceUrl } from '../urlJoin.js';
import type { HttpProbeSpec, HttpValueSpec } from './httpSpec.js';
import { common, compact, onlyFor, onlySelector, redirects, S, sourceClock, type Redirects, type SourceBase, type SourceClock, type SourceTypeDef } from './types.js';

/** SPEC §9.3: plain HTTP checks; its clock is the answer's Date header. */
const schema = z.strictObject({ type: z.literal('http'), url: httpUrl, headers: headers.optional(), ...common, ...sourceClock, ...redirects });

/** Gate keys that describe an HTTP request or which part of its answer is the value. */
export const HTTP_GATE_KEYS = ['path', 'url', 'method', 'headers', 'body', 'json_body', 'timeout', 'json_path', 'header', 'header_match', 'latency'] as const;

/** SPEC §9.3: each gate on it is one request; the source gives the base url, headers and timeout. */
export interface HttpSource extends SourceBase<'http'>, SourceClock, Redirects {
  url: string;
  headers: Record<string, string>;
}

export const http: SourceTypeDef<'http', z.output<typeof schema>, HttpSource> = {
  type: 'http',
  schema,
  defaults: { interval: 15 * S, timeout: 5 * S },
  // Unset keys stay absent: the adapters apply the defaults (30s skew, same-origin redirects).
  normalize: (id, s) => {
    const interval = s.interval ?? http.defaults.interval;
    return compact({ id, type: 'http', url: s.url, headers: s.headers ?? {}, interval, timeout: s.timeout ?? http.defaults.timeout, staleAfter: s.stale_after ?? 3 * interval, maxClockSkew: s.max_clock_skew, followRedirects: s.follow_redirects });
  },
  selector: (src, sel, p, add) => (onlySelector(src, sel, p, add, undefined, 'give path (or url), and json_path, header or latency: true; the default value is the status code') ? {} : undefined),
  gateKeys: HTTP_GATE_KEYS,
  foreignKey: onlyFor('http'),
  gateExtras: ({ g, p, full, err, watchOnly }) => {
    const probe = httpProbe(g, p, full?.type === 'http' ? full : undefined, err, watchOnly);
    return probe ? { http: probe } : undefined;
  },
};

/**
 * An http gate's request and value kind. `src` is undefined when the source itself has
 * problems: the gate's own keys are still checked, so every problem shows at once.
 */
function httpProbe(g: RawGate, p: Path, src: HttpSource | undefined, err: (path: Path, m: string) => void, watchOnly: boolean): HttpProbeSpec | undefined {
  const n0 = { n: 0 };
  const bad = (k: string, m: string) => {
    n0.n++;
    err([...p, k], m);
  };
  if (g.path !== undefined && g.url !== undefined) bad('url', 'give path (joined to the source url) or url, not both');
  if (g.path !== undefined && /^[a-z][a-z0-9+.-]*:/i.test(g.path)) bad('path', 'path is joined to the source url; for another address use url:');
  const kinds = (['json_path', 'header', 'latency'] as const).filter((k) => g[k] !== undefined && g[k] !== false);
  if (kinds.length > 1) bad(kinds[1]!, `give one of json_path, header, latency (found ${kinds.join(' and ')})`);
  if (g.header_match !== undefined && g.header === undefined) bad('header_match', 'header_match needs header: the name of the header to match');
  if (g.json_path !== undefined) {
    const why = checkJsonPathSyntax(g.json_path);
    if (why) bad('json_path', why);
  }
  const method = g.method ?? 'GET';
  if (g.body !== undefined && g.json_body !== undefined) bad('json_body', 'give body or json_body, not both');
  if ((g.body !== undefined || g.json_body !== undefined) && (method === 'GET' || method === 'HEAD')) {
    bad(g.body !== undefined ? 'body' : 'json_body', `a ${method} request has no body; set method: POST (or PUT, PATCH, DELETE)`);
  }
  if (method === 'HEAD' && g.json_path !== undefined) bad('json_path', 'a HEAD answer has no body to read json_path from; use GET');
  // The source's timeout bounds the whole read (the poller cuts it there), so a longer one would never be waited for.
  if (g.timeout !== undefined && src && g.timeout > src.timeout) {
    bad('timeout', `longer than source "${src.id}"'s timeout ${formatMs(src.timeout)}, which bounds every read; raise the source's timeout`);
  }
  const value: HttpValueSpec =
    g.json_path !== undefined
      ? { kind: 'json_path', path: g.json_path }
      : g.header !== undefined
        ? compact<HttpValueSpec>({ kind: 'header', name: g.header.toLowerCase(), match: g.header_match })
        : g.latency === true
          ? { kind: 'latency' }
          : { kind: 'status' };
  // A status code, a latency or a header is truthy whatever it says: without go such a gate would always pass.
  if (!g.go && !watchOnly && value.kind !== 'json_path') {
    const eg = value.kind === 'status' ? '"== 200"' : value.kind === 'latency' ? '"< 0.2"' : '">= 15552000"';
    bad('go', `required: an http gate on the ${value.kind === 'status' ? 'status code' : value.kind} needs go (e.g. go: ${eg})`);
  }
  if (n0.n || !src) return undefined;
  let url: string;
  if (g.url !== undefined) url = g.url;
  else {
    try {
      url = joinSourceUrl(src.url, g.path ?? '');
    } catch (e) {
      bad('path', (e as Error).message);
      return undefined;
    }
  }
  return compact<HttpProbeSpec>({ url, method, headers: g.headers ?? {}, body: g.body, jsonBody: g.json_body, timeout: g.timeout, value });
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
