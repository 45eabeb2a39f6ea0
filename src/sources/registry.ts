/**
 * Each source type's adapter, by config type, loaded when first asked for. A new source type:
 * one line here (and its config module, src/config/sources/). `check` loads only the types its
 * config uses (load.ts: a Prometheus-only check never reads `ws` and the feed client); the
 * console and `check --watch` load them all at start (index.ts).
 */
import type { Clock } from '../core/clock.js';
import type { SourceConfig } from '../config/types.js';
import type { SourceAdapter } from './types.js';

export interface AdapterContext {
  /** The engine's clock (scaled by `demo --speed`). */
  clock: Clock;
  /** `check`: push sources wait for their keys up to the timeout. */
  oneShot: boolean;
}
export type AdapterFactory<C extends SourceConfig = SourceConfig> = (cfg: C, ctx: AdapterContext) => SourceAdapter;

type Loaders = { [T in SourceConfig['type']]: () => Promise<AdapterFactory<Extract<SourceConfig, { type: T }>>> };

// Only dynamic imports here: importing this module loads no adapter.
const ADAPTERS: Loaders = {
  prometheus: async () => (await import('./prometheus.js')).createPrometheusSource,
  scrape: async () => (await import('./scrape.js')).createScrapeSource,
  websocket: async () => (await import('./websocket.js')).websocketFromConfig,
  command: async () => (await import('./command.js')).createCommandSource,
  files: async () => (await import('./files.js')).createFilesSource,
  http: async () => (await import('./httpCheck.js')).createHttpCheckSource,
  alertmanager: async () => (await import('./alertmanager.js')).createAlertmanagerSource,
};

/** Every registered type. */
export const ADAPTER_TYPES = Object.keys(ADAPTERS) as SourceConfig['type'][];

/** The factory of one type's adapter (its module read on the first call). */
export function loadFactory(type: SourceConfig['type']): Promise<AdapterFactory> {
  return (ADAPTERS[type] as () => Promise<AdapterFactory>)();
}
