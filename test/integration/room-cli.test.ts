/** `--room` on the real binary: usage without room.nats, and a room that cannot be reached never shows its credentials. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { freePort } from '../helpers/prometheus.js';

let dir: string;
const BASE = 'version: 1\ndeployment: { name: cli-room }\nsources: { p: { type: prometheus, url: "http://127.0.0.1:1" } }\ngates: [{ id: g, title: G, source: p, query: up, go: "== 1" }]\n';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'warroom-room-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--room on the command line', () => {
  it('needs room.nats', async () => {
    writeFileSync(join(dir, 'plain.yaml'), BASE);
    for (const args of [['audit', 'verify', '--room'], ['check', '--room'], ['report', '--room']]) {
      const r = await runCli([...args, '--config', join(dir, 'plain.yaml')]);
      expect(r.code, r.stderr).toBe(64);
      expect(r.stderr).toMatch(/--room needs room\.nats/);
    }
  });

  it('--room goes without --watch', async () => {
    const r = await runCli(['check', '--room', '--watch', '--config', join(dir, 'plain.yaml')]);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/--room reads the room once/);
  });

  it('a room that cannot be reached: exit 69, and no password, inline or from the environment, is printed', async () => {
    const port = await freePort();
    writeFileSync(join(dir, 'room.yaml'), `${BASE}room:\n  nats: { servers: "nats://natsuser:inline-secret-99@127.0.0.1:${port}" }\n`);
    writeFileSync(join(dir, 'env.yaml'), `${BASE}room:\n  nats: { servers: "nats://127.0.0.1:${port}", user: bob, password: "\${NATS_PW}" }\n`);
    for (const [file, secret] of [['room.yaml', 'inline-secret-99'], ['env.yaml', 'env-secret-77']] as const) {
      for (const args of [['audit', 'verify', '--room'], ['check', '--room'], ['report', '--room']]) {
        const r = await runCli([...args, '--config', join(dir, file)], { env: { NATS_PW: 'env-secret-77' } });
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(69);
        expect(r.stderr).toMatch(/cannot reach the room's NATS servers/);
        expect(r.stdout + r.stderr).not.toContain(secret);
      }
    }
  }, 60_000);
});
