/**
 * Notification sinks against hostile receivers and hostile text, through the compiled binary:
 * a sink answering an error with an endless body is read only a few KiB (the rest never
 * leaves the receiver), and text from the room reaches Slack and Teams with its markup
 * neutralised (no `<!channel>` ping, no `[Approve](https://evil…)` link).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startReceiver, type Receiver } from '../helpers/notifyReceivers.js';

let dir: string;
const servers: { stop(): Promise<void> }[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'warroom-notify-sinks-'));
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await rm(dir, { recursive: true, force: true });
});

function listen(server: Server): Promise<string> {
  servers.push({ stop: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

/** Answers 500 with up to `total` bytes, written only as fast as the client reads them. */
async function floodingSink(total: number): Promise<{ url: string; sent: () => number }> {
  let sent = 0;
  const chunk = Buffer.alloc(64 * 1024, 'x');
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(500, { 'content-type': 'text/plain', 'content-length': String(total) });
      const pump = () => {
        while (sent < total && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => res.removeAllListeners('drain'));
      pump();
    });
  });
  return { url: await listen(server), sent: () => sent };
}

async function config(name: string, extra: string): Promise<string> {
  const file = join(dir, `${name}.yaml`);
  await writeFile(
    file,
    `version: 1
deployment: { name: checkout-v7, environment: production }
audit: { dir: ${join(dir, `audit-${name}`)} }
decision: { unknown: nogo }
${extra}`,
  );
  return file;
}

describe('notification sinks', () => {
  it('an error answer of 600 MiB is read a few KiB and abandoned: the command ends promptly, the error quoted', async () => {
    const sink = await floodingSink(600 * 1024 * 1024);
    const file = await config(
      'flood',
      `sources:
  one: { type: command, argv: [echo, "1"], timeout: 5s }
gates:
  - { id: one, source: one, go: "== 1" }
notify:
  - { type: webhook, url: "${sink.url}/hook", on: [announce], retries: 0, timeout: 20s }
`,
    );
    const started = Date.now();
    const r = await runCli(['announce', '--config', file, '--actor', 'alice'], { timeoutMs: 60_000 });
    const took = Date.now() - started;
    expect(r.code).toBe(75);
    expect(r.stdout).toMatch(/failed +webhook#0 .*: HTTP 500: x{100}/);
    // What left the receiver: the part read plus what the sockets buffered, never the flood.
    expect(sink.sent()).toBeLessThan(32 * 1024 * 1024);
    expect(took).toBeLessThan(15_000);
  }, 70_000);

  it('room text reaches Slack (top-level text) and Teams (TextBlocks, facts) with its markup neutralised', async () => {
    const hostile = '<!channel> please [Approve](https://evil.example/approve) now';
    // A status endpoint whose field carries the text: the gate is UNKNOWN and its reason quotes it.
    const api = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ outbox: hostile }));
    });
    const apiUrl = await listen(api);
    const slack: Receiver = await startReceiver();
    const teams: Receiver = await startReceiver();
    servers.push(slack, teams);
    const file = await config(
      'markup',
      `sources:
  api: { type: http, url: "${apiUrl}", interval: 1s, timeout: 2s }
gates:
  - { id: flags, source: api, path: /status, json_path: "$.outbox", go: "== true" }
notify:
  - { type: slack, url: "${slack.url}/slack", on: [overall], retries: 0 }
  - { type: teams, url: "${teams.url}/teams", on: [overall], retries: 0 }
`,
    );
    const r = await runCli(['check', '--watch', '--notify', '--interval', '200ms', '--fail-after', '0s', '--config', file], { timeoutMs: 30_000 });
    expect(r.stderr).toContain('--notify:');
    expect(slack.delivered()).toHaveLength(1);
    expect(teams.delivered()).toHaveLength(1);

    const s = slack.delivered()[0] as { text: string; blocks: unknown[] };
    // The hostile text did reach the message (so the test sees it) ...
    expect(s.text).toContain('please [Approve](https://evil.example/approve) now');
    // ... but escaped: no mention, in the text or anywhere else Slack reads mrkdwn (plain_text is shown as is).
    expect(s.text).toContain('&lt;!channel&gt;');
    const mrkdwn = [s.text, ...JSON.stringify(s.blocks).matchAll(/"type":"mrkdwn","text":"((?:[^"\\]|\\.)*)"/g)].map((m) => (typeof m === 'string' ? m : m[1]!));
    expect(mrkdwn.length).toBeGreaterThan(2);
    for (const text of mrkdwn) expect(text).not.toMatch(/<!|<https?:/);

    const t = JSON.stringify(teams.delivered()[0]);
    expect(t).toContain('please \\\\[Approve\\\\]\\\\(https://evil.example/approve) now');
    expect(t).not.toMatch(/[^\\]\[Approve[^\]]*\]\(/);
    expect(r.code).toBe(2);
  }, 40_000);
});
