/**
 * The adapter of a configured source for one-shot commands, reading only the adapter modules a
 * config uses (registry.ts): a `check` of Prometheus gates does not load the feed client and
 * `ws` (~8 ms of CPU at start, BENCHMARKS.md, issue 23).
 */
import type { Clock } from '../core/clock.js';
import type { SourceConfig } from '../config/types.js';
import { loadFactory } from './registry.js';
import type { SourceAdapter } from './types.js';

export async function loadSource(cfg: SourceConfig, clock: Clock, opts: { oneShot?: boolean } = {}): Promise<SourceAdapter> {
  return (await loadFactory(cfg.type))(cfg, { clock, oneShot: opts.oneShot ?? false });
}
