/** Builds the adapter for a configured source. */
import { systemClock, type Clock } from '../core/clock.js';
import { FeedClient } from '../feed/client.js';
import type { SourceConfig } from '../config/types.js';
import { createAlertmanagerSource } from './alertmanager.js';
import { createCommandSource } from './command.js';
import { createFilesSource } from './files.js';
import { createHttpCheckSource } from './httpCheck.js';
import { createPrometheusSource } from './prometheus.js';
import { createScrapeSource } from './scrape.js';
import type { SourceAdapter } from './types.js';
import { createWebsocketSource } from './websocket.js';

/**
 * `oneShot` (check): push sources wait for their keys up to the timeout. The feed's transport
 * timers (ping, pong deadline, backoff) run on wall time even when the engine clock is scaled
 * by `demo --speed`, or a 25 s pong deadline would shrink to nothing.
 */
export function createSource(cfg: SourceConfig, clock: Clock, opts: { oneShot?: boolean } = {}): SourceAdapter {
  switch (cfg.type) {
    case 'prometheus': return createPrometheusSource(cfg);
    case 'scrape': return createScrapeSource(cfg);
    case 'command': return createCommandSource(cfg);
    case 'files': return createFilesSource(cfg);
    case 'http': return createHttpCheckSource(cfg);
    case 'alertmanager': return createAlertmanagerSource(cfg);
    case 'websocket':
      return createWebsocketSource(cfg, {
        clock,
        client: new FeedClient({ url: cfg.url, headers: cfg.headers, clock: systemClock, ...(cfg.maxSeqJump ? { maxSeqJump: cfg.maxSeqJump } : {}) }),
        waitForKeys: opts.oneShot ?? false,
      });
  }
}
