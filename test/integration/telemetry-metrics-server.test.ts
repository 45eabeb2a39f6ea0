/** The /metrics listener on a real loopback socket: what it answers, and how a bind failure reads. */
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startMetricsServer, type MetricsServer } from '../../src/telemetry/metricsServer.js';

let servers: MetricsServer[] = [];
afterEach(async () => {
  for (const s of servers) await s.close();
  servers = [];
});

async function start(render: () => string): Promise<{ url: string }> {
  const s = await startMetricsServer({ host: '127.0.0.1', port: 0 }, render);
  servers.push(s);
  return { url: `http://${s.address}` };
}

describe('metrics server', () => {
  it('GET /metrics renders on every scrape with the 0.0.4 content type; HEAD has no body', async () => {
    let n = 0;
    const { url } = await start(() => `warroom_scrapes ${++n}\n`);
    const a = await fetch(`${url}/metrics`);
    expect(a.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await a.text()).toBe('warroom_scrapes 1\n');
    expect(await (await fetch(`${url}/metrics?x=1`)).text()).toBe('warroom_scrapes 2\n');
    const head = await fetch(`${url}/metrics`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('other paths are 404, other methods 405, and a render that throws is a 500, not a crash', async () => {
    const { url } = await start(() => {
      throw new Error('boom');
    });
    expect((await fetch(`${url}/`)).status).toBe(404);
    expect((await fetch(`${url}/metrics`, { method: 'POST' })).status).toBe(405);
    const r = await fetch(`${url}/metrics`);
    expect(r.status).toBe(500);
    expect(await r.text()).toContain('render failed: boom');
  });

  it('a port in use is one clear sentence', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(startMetricsServer({ host: '127.0.0.1', port }, () => '')).rejects.toThrow(
        `cannot serve /metrics on 127.0.0.1:${port}: the address is already in use (another warroom or exporter?); choose another port`,
      );
    } finally {
      blocker.close();
    }
  });
});
