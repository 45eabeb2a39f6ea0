/** `type: scrape`: one metric from an exporter's /metrics page (adapter: src/sources/scrape.ts). */
import { z } from 'zod';
import { headers, httpUrl } from '../schemaParts.js';
import { common, compact, onlySelector, redirects, S, sourceClock, type SourceTypeDef } from './types.js';

const schema = z.strictObject({ type: z.literal('scrape'), url: httpUrl, headers: headers.optional(), ...common, ...sourceClock, ...redirects });

export const scrape: SourceTypeDef<'scrape', z.output<typeof schema>> = {
  type: 'scrape',
  schema,
  defaults: { interval: 15 * S, timeout: 5 * S },
  normalize: (id, s) => {
    const d = scrape.defaults;
    const interval = s.interval ?? d.interval;
    return compact({ id, type: 'scrape', url: s.url, headers: s.headers ?? {}, interval, timeout: s.timeout ?? d.timeout, staleAfter: s.stale_after ?? 3 * interval, maxClockSkew: s.max_clock_skew, followRedirects: s.follow_redirects });
  },
  selector: (src, sel, p, add) => {
    let ok = onlySelector(src, sel, p, add, 'metric', 'give metric: name{label="value"}');
    if (sel.metric === undefined) (add([...p, 'metric'], `required: scrape source "${src.id}" needs a metric name`), (ok = false));
    return ok ? { metric: sel.metric! } : undefined;
  },
  gateKeys: ['baseline_metric'],
  foreignKey: (k, src) => `${k} needs a scrape source; "${src.id}" is ${src.type}`,
  checkGate: ({ g, p, err, watchOnly }) => {
    if (!g.go && !watchOnly) err([...p, 'go'], 'required: a scrape gate needs go (e.g. go: ">= 0.9")');
  },
};
