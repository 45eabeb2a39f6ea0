/**
 * `createSource` for one-shot commands, reading only the adapter modules a config uses: a
 * `check` of Prometheus gates does not load the feed client and `ws` (~8 ms of CPU at start,
 * BENCHMARKS.md, issue 23). The console keeps the synchronous `createSource` of index.ts.
 */
import type { Clock } from '../core/clock.js';
import type { SourceConfig } from '../config/types.js';
import type { SourceAdapter } from './types.js';

export async function loadSource(cfg: SourceConfig, clock: Clock, opts: { oneShot?: boolean } = {}): Promise<SourceAdapter> {
  switch (cfg.type) {
    case 'prometheus': return (await import('./prometheus.js')).createPrometheusSource(cfg);
    case 'scrape': return (await import('./scrape.js')).createScrapeSource(cfg);
    case 'command': return (await import('./command.js')).createCommandSource(cfg);
    case 'files': return (await import('./files.js')).createFilesSource(cfg);
    case 'http': return (await import('./httpCheck.js')).createHttpCheckSource(cfg);
    case 'alertmanager': return (await import('./alertmanager.js')).createAlertmanagerSource(cfg);
    case 'websocket': return (await import('./index.js')).createSource(cfg, clock, opts);
  }
}
