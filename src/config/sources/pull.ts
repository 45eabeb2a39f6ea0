/** What `prometheus` and `scrape` share: one HTTP URL pulled on an interval, its data carrying its own clock. */
import { z } from 'zod';
import type { SourceConfig } from '../types.js';
import { headers, httpUrl } from '../schemaParts.js';
import { common, compact, redirects, S, sourceClock } from './types.js';

type PullType = 'prometheus' | 'scrape';

export function pullSchema<T extends PullType>(type: T) {
  return z.strictObject({ type: z.literal(type), url: httpUrl, headers: headers.optional(), ...common, ...sourceClock, ...redirects });
}

export const PULL_DEFAULTS = { interval: 15 * S, timeout: 5 * S };

/** Unset keys stay absent: the adapters apply the defaults (30s skew, same-origin redirects). */
export function normalizePull(type: PullType, id: string, s: z.output<ReturnType<typeof pullSchema<PullType>>>, d: { interval: number; timeout: number }): SourceConfig {
  const interval = s.interval ?? d.interval;
  return compact({ id, type, url: s.url, headers: s.headers ?? {}, interval, timeout: s.timeout ?? d.timeout, staleAfter: s.stale_after ?? 3 * interval, maxClockSkew: s.max_clock_skew, followRedirects: s.follow_redirects });
}
