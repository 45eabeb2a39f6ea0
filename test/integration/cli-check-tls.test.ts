/**
 * A Prometheus behind TLS, through the compiled binary: `check` reaches it over https (the https
 * client loads on the first https URL, not at start), sends its batch as a form a server decodes
 * back to each gate's query exactly, and refuses a certificate nobody trusts (NO-GO, named); a
 * plain-http `check` loads neither TLS, zlib nor crypto.
 * The certificate is a self-signed one for 127.0.0.1 (test/fixtures/tls, made with
 * `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 36500
 * -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1,DNS:localhost`); the binary trusts it
 * through Node's own NODE_EXTRA_CA_CERTS, as a user with a private CA would.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const fixture = (f: string) => fileURLToPath(new URL(`../fixtures/tls/${f}`, import.meta.url));
const CERT = fixture('cert.pem');

// Characters a form encoding must carry: + & = % # quotes, a space, a newline, non-ASCII.
const QUERIES = ['sum(rate(a_total{x="1+1"}[5m]))', 'b{path="/q?x=1&y=%41"} # c', 'avg(c{name="café été"})\n+ 0'];

interface Seen {
  method: string;
  queries: string[];
}

let dir: string;
let server: Server;
let url: string;
const seen: Seen[] = [];

function answer(req: IncomingMessage, res: ServerResponse): void {
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    const params = req.method === 'POST' ? new URLSearchParams(body) : new URL(req.url ?? '/', 'https://x').searchParams;
    const query = params.get('query') ?? '';
    // A batch names each part by its index; a query asked alone is one series. Each gate's
    // value is its query's position in QUERIES plus one, so a mix-up shows.
    const parts = [...query.matchAll(/label_replace\(\((.*?)\), "__warroom_part", "(\d+)", "", ""\)(?: or |$)/gs)];
    const asked = parts.length > 0 ? parts.map((m) => ({ q: m[1]!, metric: { __warroom_part: m[2]! } })) : [{ q: query, metric: {} }];
    seen.push({ method: req.method ?? '', queries: asked.map((a) => a.q) });
    const result = asked.map((a) => ({ metric: a.metric, value: [Date.now() / 1000, String(QUERIES.indexOf(a.q) + 1)] }));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result } }));
  });
}

const configFor = (promUrl: string, name: string) =>
  writeFile(
    join(dir, name),
    `version: 1\ndeployment: { name: tls, environment: test }\nsources:\n  prom: { type: prometheus, url: "${promUrl}" }\ngates:\n${QUERIES.map((q, i) => `  - { id: g${i}, source: prom, query: ${JSON.stringify(q)}, go: "== ${i + 1}" }`).join('\n')}\naudit: { dir: "${join(dir, 'audit')}" }\n`,
  );

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'warroom-tls-'));
  server = createServer({ key: readFileSync(fixture('key.pem')), cert: readFileSync(CERT) }, answer);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await configFor(url, 'warroom.yaml');
  // Node's own record of the built-in modules a process loaded, written as it exits.
  await writeFile(join(dir, 'loaded.cjs'), `process.on('exit', () => require('node:fs').writeFileSync(process.env.LOADED_OUT, process.moduleLoadList.join('\\n')));\n`);
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await rm(dir, { recursive: true, force: true });
});

describe('check against a Prometheus over https', () => {
  it('with the CA trusted: every gate gets its own answer, the batch decodes to the exact queries', async () => {
    seen.length = 0;
    const r = await runCli(['check', '--strict', '--format', 'json', '--config', join(dir, 'warroom.yaml')], { env: { NODE_EXTRA_CA_CERTS: CERT } });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { overall: string; criteria: { id: string; status: string; value: number }[] };
    expect(out.criteria.map((c) => [c.id, c.status, c.value])).toEqual([
      ['g0', 'PASS', 1],
      ['g1', 'PASS', 2],
      ['g2', 'PASS', 3],
    ]);
    expect(out.overall).toBe('GO');
    expect(r.code).toBe(0);
    // The `#` query is never batched (a comment could swallow what follows); the other two go
    // in one POST whose form decodes back to them character for character.
    expect(seen).toContainEqual({ method: 'POST', queries: [QUERIES[0], QUERIES[2]] });
    expect(seen).toContainEqual({ method: 'GET', queries: [QUERIES[1]] });
  });

  it('the https client, zlib and crypto load only when needed: not for a plain-http Prometheus', async () => {
    const plain = createHttpServer(answer);
    await new Promise<void>((r) => plain.listen(0, '127.0.0.1', () => r()));
    try {
      await configFor(`http://127.0.0.1:${(plain.address() as AddressInfo).port}`, 'plain.yaml');
      const loaded = async (config: string) => {
        const out = join(dir, `${config}.loaded`);
        const r = await runCli(['check', '--strict', '--config', join(dir, config)], { env: { NODE_EXTRA_CA_CERTS: CERT, NODE_OPTIONS: `--require ${join(dir, 'loaded.cjs')}`, LOADED_OUT: out } });
        expect(r.code).toBe(0);
        return readFileSync(out, 'utf8').split('\n');
      };
      const overHttp = await loaded('plain.yaml');
      expect(overHttp).toContain('NativeModule http');
      // Nor crypto: nothing to hash or verify without sign-offs in the audit dir (and a config this
      // small is not kept parsed, which would seal it: src/cli/configTrees.ts, MIN_TEXT).
      for (const m of ['https', 'tls', 'zlib', 'crypto']) expect(overHttp).not.toContain(`NativeModule ${m}`);
      expect(await loaded('warroom.yaml')).toContain('NativeModule https');
    } finally {
      plain.closeAllConnections();
      await new Promise<void>((r) => plain.close(() => r()));
    }
  });

  it('a certificate nobody trusts: NO-GO, and the gate says why', async () => {
    const r = await runCli(['check', '--strict', '--format', 'json', '--config', join(dir, 'warroom.yaml')]);
    expect(r.code).toBe(2);
    const out = JSON.parse(r.stdout) as { overall: string; criteria: { status: string; reason: string }[] };
    expect(out.overall).toBe('NO-GO');
    expect(out.criteria.every((c) => c.status !== 'PASS')).toBe(true);
    expect(out.criteria[0]!.reason).toMatch(/self-signed certificate/i);
  });
});
