/**
 * A notification sink that redirects to another origin: the binary's advice must be one the
 * config accepts. Sinks take no follow_redirects (validate refuses it), so the message says to
 * put the final address in the sink's url, and never suggests follow_redirects.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startReceiver, type Receiver } from '../helpers/notifyReceivers.js';

let elsewhere: Receiver;
let redirector: Server;
let port = 0;
let dir = '';

function writeConfig(sink: Record<string, unknown>): string {
  const path = join(dir, `warroom-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    path,
    stringify({
      version: 1,
      deployment: { name: 'rl-policy-redirect', environment: 'test' },
      sources: { preflight: { type: 'command', argv: [process.execPath, '-e', "console.log('ok 0')"], interval: '1m' } },
      gates: [{ id: 'preflight', title: 'Preflight', source: 'preflight' }],
      notify: [sink],
      audit: { dir: join(dir, 'audit') },
    }),
  );
  return path;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'warroom-sink-redirect-'));
  elsewhere = await startReceiver();
  redirector = createServer((_req, res) => res.writeHead(302, { location: `${elsewhere.url}/moved` }).end());
  await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', () => r()));
  port = (redirector.address() as AddressInfo).port;
});
afterAll(async () => {
  redirector?.closeAllConnections();
  await new Promise<void>((r) => (redirector ? redirector.close(() => r()) : r()));
  await elsewhere?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a sink redirected to another origin', () => {
  it('announce fails (75) naming the origin, and advises the sink url, not follow_redirects', async () => {
    const config = writeConfig({ type: 'webhook', url: `http://127.0.0.1:${port}/hook/secretpath77`, on: ['announce'], retries: 0 });
    const r = await runCli(['announce', '--config', config, '--actor', 'alice', '--message', 'window opens'], { timeoutMs: 30_000 });
    expect(r.code).toBe(75);
    const out = r.stdout + r.stderr;
    expect(out).toContain(`redirect to another origin (${elsewhere.url}) not followed`);
    expect(out).toContain("put the address it redirects to in the sink's url");
    expect(out).not.toContain('follow_redirects');
    expect(out).not.toContain('secretpath77');
    expect(elsewhere.received).toHaveLength(0);
  });

  it('the advice it no longer gives would not load: a sink with follow_redirects is a config problem (78)', async () => {
    const config = writeConfig({ type: 'webhook', url: `http://127.0.0.1:${port}/hook`, on: ['announce'], follow_redirects: true });
    const r = await runCli(['validate', '--config', config], { timeoutMs: 30_000 });
    expect(r.code).toBe(78);
    expect(r.stdout + r.stderr).toMatch(/follow_redirects/);
  });
});
