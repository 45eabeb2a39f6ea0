/** Builds the adapter for a configured source. */
import type { Clock } from '../core/clock.js';
import type { SourceConfig } from '../config/types.js';
import { createCommandSource } from './command.js';
import { createFilesSource } from './files.js';
import { createPrometheusSource } from './prometheus.js';
import { createScrapeSource } from './scrape.js';
import type { SourceAdapter } from './types.js';
import { createWebsocketSource } from './websocket.js';

export function createSource(cfg: SourceConfig, clock: Clock): SourceAdapter {
  switch (cfg.type) {
    case 'prometheus': return createPrometheusSource(cfg);
    case 'scrape': return createScrapeSource(cfg);
    case 'command': return createCommandSource(cfg);
    case 'files': return createFilesSource(cfg);
    case 'websocket': return createWebsocketSource(cfg, { clock });
  }
}
