/** `type: prometheus`: PromQL against a Prometheus HTTP API (adapter: src/sources/prometheus.ts). */
import * as z from '../z.js';
import { normalizePull, PULL_DEFAULTS, pullSchema, type PullSource } from './pull.js';
import type { SourceTypeDef } from './types.js';

const schema = pullSchema('prometheus');

export interface PrometheusSource extends PullSource<'prometheus'> {}

export const prometheus: SourceTypeDef<'prometheus', z.output<typeof schema>, PrometheusSource> = {
  type: 'prometheus',
  schema,
  defaults: { ...PULL_DEFAULTS },
  normalize: (id, s) => normalizePull('prometheus', id, s, prometheus.defaults),
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
