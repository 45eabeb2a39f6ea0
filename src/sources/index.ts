/**
 * Builds the adapter for a configured source, synchronously: the console and `check --watch`
 * read every registered adapter (registry.ts) when this module loads, as a static import of
 * each would, so the session can wire its sources in its constructor.
 */
import type { Clock } from '../core/clock.js';
import type { SourceConfig } from '../config/types.js';
import { ADAPTER_TYPES, loadFactory, type AdapterFactory } from './registry.js';
import type { SourceAdapter } from './types.js';

const FACTORIES = new Map<string, AdapterFactory>(await Promise.all(ADAPTER_TYPES.map(async (t) => [t, await loadFactory(t)] as const)));

/** `oneShot` (check): push sources wait for their keys up to the timeout. */
export function createSource(cfg: SourceConfig, clock: Clock, opts: { oneShot?: boolean } = {}): SourceAdapter {
  return FACTORIES.get(cfg.type)!(cfg, { clock, oneShot: opts.oneShot ?? false });
}
