/** `type: websocket`: the status feed (adapter: src/sources/websocket.ts, protocol: src/feed/). */
import * as z from '../z.js';
import { headers, wsUrl } from '../schemaParts.js';
import { common, onlySelector, S, type SourceBase, type SourceTypeDef } from './types.js';

/** SPEC §9.2: a larger seq step than this is a server restart, not a gap. */
export const DEFAULT_MAX_SEQ_JUMP = 100_000;
/** Firing alerts kept by the alert book; more are counted as "+N more". */
export const DEFAULT_MAX_FIRING_ALERTS = 1000;

const schema = z.strictObject({
  type: z.literal('websocket'),
  url: wsUrl,
  headers: headers.optional(),
  timeout: common.timeout,
  stale_after: common.stale_after,
  // SPEC §9.2: a larger seq step is a server restart; more firing alerts are kept as "+N more".
  max_seq_jump: z.number().int('must be a whole number').min(1, 'must be 1 or more').optional(),
  max_firing_alerts: z.number().int('must be a whole number').min(1, 'must be 1 or more').max(1_000_000, 'must be at most 1000000').optional(),
});

export interface WebsocketSource extends SourceBase<'websocket'> {
  url: string;
  headers: Record<string, string>;
  /** A seq step larger than this is a server restart (default 100000). */
  maxSeqJump?: number;
  /** Firing alerts kept with their text; the rest are counted (default 1000). */
  maxFiringAlerts?: number;
}

export const websocket: SourceTypeDef<'websocket', z.output<typeof schema>, WebsocketSource> = {
  type: 'websocket',
  schema,
  defaults: { interval: 10 * S, timeout: 5 * S },
  // A feed pushes; there is no poll interval. 10s stands in for code that wants one.
  normalize: (id, s) => ({
    id,
    type: 'websocket',
    url: s.url,
    headers: s.headers ?? {},
    interval: websocket.defaults.interval,
    timeout: s.timeout ?? websocket.defaults.timeout,
    staleAfter: s.stale_after ?? 10 * S,
    maxSeqJump: s.max_seq_jump ?? DEFAULT_MAX_SEQ_JUMP,
    maxFiringAlerts: s.max_firing_alerts ?? DEFAULT_MAX_FIRING_ALERTS,
  }),
  selector: (src, sel, p, add) => {
    let ok = onlySelector(src, sel, p, add, 'key', 'give key: the feed status key');
    if (sel.key === undefined) (add([...p, 'key'], `required: websocket source "${src.id}" needs a feed key`), (ok = false));
    return ok ? { key: sel.key! } : undefined;
  },
};
