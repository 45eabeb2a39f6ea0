/** `type: alertmanager`: counting matching alerts, silences noted (adapter: src/sources/alertmanager.ts). */
import * as z from '../z.js';
import { parseThreshold } from '../threshold.js';
import { headers, httpUrl } from '../schemaParts.js';
import { common, compact, onlyFor, onlySelector, redirects, S, type Redirects, type SourceBase, type SourceTypeDef } from './types.js';

/** Where the v2 API lives under url (Grafana: /api/alertmanager/grafana): a path, nothing else. */
const basePath = z.string().regex(/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/, 'base_path must be a URL path starting with / (no query, fragment or spaces), e.g. /api/alertmanager/grafana');
const schema = z.strictObject({ type: z.literal('alertmanager'), url: httpUrl, headers: headers.optional(), base_path: basePath.optional(), ...common, ...redirects });

export interface AlertmanagerSource extends SourceBase<'alertmanager'>, Redirects {
  url: string;
  headers: Record<string, string>;
  /** Prefix of the v2 API under url, e.g. Grafana's `/api/alertmanager/grafana`; no trailing slash. */
  basePath?: string;
}

export const alertmanager: SourceTypeDef<'alertmanager', z.output<typeof schema>, AlertmanagerSource> = {
  type: 'alertmanager',
  schema,
  defaults: { interval: 15 * S, timeout: 5 * S },
  normalize: (id, s) => {
    const interval = s.interval ?? alertmanager.defaults.interval;
    const bp = s.base_path?.replace(/\/+$/, '');
    return compact({
      id,
      type: 'alertmanager',
      url: s.url,
      headers: s.headers ?? {},
      basePath: bp === '' ? undefined : bp,
      interval,
      timeout: s.timeout ?? alertmanager.defaults.timeout,
      staleAfter: s.stale_after ?? 3 * interval,
      followRedirects: s.follow_redirects,
    });
  },
  selector: (src, sel, p, add) => (onlySelector(src, sel, p, add, undefined, 'the value is the number of matching alerts; select them with filter: [\'name="value"\']') ? {} : undefined),
  gateKeys: ['filter', 'silences'],
  foreignKey: onlyFor('alertmanager'),
  // Counting alerts: nothing firing is the only pass that needs no spelling out.
  gateExtras: ({ g }) => (g.go ? undefined : { go: parseThreshold('== 0') }),
};
