/** `type: prometheus`: PromQL against a Prometheus HTTP API (adapter: src/sources/prometheus.ts). */
import { z } from 'zod';
import { headers, httpUrl } from '../schemaParts.js';
import { common, compact, redirects, S, sourceClock, type SourceTypeDef } from './types.js';

const schema = z.strictObject({ type: z.literal('prometheus'), url: httpUrl, headers: headers.optional(), ...common, ...sourceClock, ...redirects });

export const prometheus: SourceTypeDef<'prometheus', z.output<typeof schema>> = {
  type: 'prometheus',
  schema,
  defaults: { interval: 15 * S, timeout: 5 * S },
  // Unset keys stay absent: the adapters apply the defaults (30s skew, same-origin redirects).
  normalize: (id, s) => {
    const d = prometheus.defaults;
    const interval = s.interval ?? d.interval;
    return compact({ id, type: 'prometheus', url: s.url, headers: s.headers ?? {}, interval, timeout: s.timeout ?? d.timeout, staleAfter: s.stale_after ?? 3 * interval, maxClockSkew: s.max_clock_skew, followRedirects: s.follow_redirects });
  },
  // `metric` is taken as a query, normalized to `query` so the adapter sees one field.
  selector: (src, sel, p, add) => {
    let ok = true;
    if (sel.key !== undefined) (add([...p, 'key'], `key is not used by ${src.type} source "${src.id}": give a PromQL query`), (ok = false));
    if (sel.query !== undefined && sel.metric !== undefined) (add([...p, 'metric'], 'give query or metric, not both'), (ok = false));
    if (sel.query === undefined && sel.metric === undefined) (add([...p, 'query'], `required: prometheus source "${src.id}" needs a PromQL query (or metric)`), (ok = false));
    return ok ? { query: (sel.query ?? sel.metric)! } : undefined;
  },
  gateKeys: ['baseline_query'],
  foreignKey: (k, src) => `${k} needs a prometheus source; "${src.id}" is ${src.type}`,
  checkGate: ({ g, p, err, watchOnly }) => {
    if (!g.go && !watchOnly) err([...p, 'go'], 'required: a prometheus gate needs go (e.g. go: ">= 0.9")');
  },
};
