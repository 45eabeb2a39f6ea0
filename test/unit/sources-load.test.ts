/** loadSource (what `check` builds its adapters with) gives the same adapter as createSource, per type. */
import { describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../src/config/types.js';
import { systemClock } from '../../src/core/clock.js';
import { createSource } from '../../src/sources/index.js';
import { loadSource } from '../../src/sources/load.js';

const base = { interval: 15_000, timeout: 2000, staleAfter: 45_000, headers: {} };
const configs = [
  { id: 'p', type: 'prometheus', url: 'http://127.0.0.1:9/', ...base },
  { id: 's', type: 'scrape', url: 'http://127.0.0.1:9/metrics', ...base },
  { id: 'c', type: 'command', argv: ['true'], ...base },
  { id: 'f', type: 'files', path: '/nonexistent', ...base },
  { id: 'h', type: 'http', url: 'http://127.0.0.1:9/', ...base },
  { id: 'a', type: 'alertmanager', url: 'http://127.0.0.1:9/', ...base },
  { id: 'w', type: 'websocket', url: 'ws://127.0.0.1:9/status', ...base },
] as unknown as SourceConfig[];

describe('loadSource', () => {
  it.each(configs.map((c) => [c.type, c] as const))('%s: an adapter of that type and id, as createSource builds it', async (_t, cfg) => {
    const lazy = await loadSource(cfg, systemClock, { oneShot: true });
    const eager = createSource(cfg, systemClock, { oneShot: true });
    expect({ id: lazy.id, type: lazy.type }).toEqual({ id: cfg.id, type: cfg.type });
    expect(Object.keys(lazy).sort()).toEqual(Object.keys(eager).sort());
    await lazy.close?.();
    await eager.close?.();
  });
});
