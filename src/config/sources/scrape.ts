/** `type: scrape`: one metric from an exporter's /metrics page (adapter: src/sources/scrape.ts). */
import * as z from '../z.js';
import { normalizePull, PULL_DEFAULTS, pullSchema, type PullSource } from './pull.js';
import { onlySelector, type SourceTypeDef } from './types.js';

const schema = pullSchema('scrape');

export interface ScrapeSource extends PullSource<'scrape'> {}

export const scrape: SourceTypeDef<'scrape', z.output<typeof schema>, ScrapeSource> = {
  type: 'scrape',
  schema,
  defaults: { ...PULL_DEFAULTS },
  normalize: (id, s) => normalizePull('scrape', id, s, scrape.defaults),
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
