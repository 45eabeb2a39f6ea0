/** What `prometheus` and `scrape` share: one HTTP URL pulled on an interval, its data carrying its own clock. */
import * as z from '../z.js';
import { headers, httpUrl } from '../schemaParts.js';
import { common, compact, redirects, S, sourceClock, type Redirects, type SourceBase, type SourceClock } from './types.js';

type PullType = 'prometheus' | 'scrape';

/** A normalised pull source: one URL and its headers. */
export interface PullSource<T extends PullType> extends SourceBase<T>, SourceClock, Redirects {
  url: string;
  headers: Record<string, string>;
}

export function pullSchema<T extends PullType>(type: T) {
  return z.strictObject({ type: z.literal(type), url: httpUrl, headers: headers.optional(), ...common, ...sourceClock, ...redirects });
}

export const PULL_DEFAULTS = { interval: 15 * S, timeout: 5 * S };

/** Unset keys stay absent: the adapters apply the defaults (30s skew, same-origin redirects). */
export function normalizePull<T extends PullType>(type: T, id: string, s: z.output<ReturnType<typeof pullSchema<PullType>>>, d: { interval: number; timeout: number }): PullSource<T> {
  const interval = s.interval ?? d.interval;
  return compact({ id, type, url: s.url, headers: s.headers ?? {}, interval, timeout: s.timeout ?? d.timeout, staleAfter: s.stale_after ?? 3 * interval, maxClockSkew: s.max_clock_skew, followRedirects: s.follow_redirects });
}
