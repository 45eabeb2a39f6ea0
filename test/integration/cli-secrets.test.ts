/**
 * Issue 11 case 6 through the real binary: environment values in `check` text, json and
 * --output, whatever their length. A short value (under 4 characters) is masked where it was
 * substituted (here: a URL path shown in a source-down error) and named in a startup warning.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startHttpFixture } from '../helpers/httpFixture.js';

const SHORT = 'k7q';
// A quote and a backslash: JSON escapes them, so redacting the JSON text alone would miss it.
const QUOTED = 'pw"q\\x-long';
let dir: string;
let cfg: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'warroom-secrets-'));
  const dead = await startHttpFixture((_q, res) => res.end());
  await dead.stop(); // refused from now on
  cfg = join(dir, 'warroom.yaml');
  const argv = JSON.stringify(['sh', '-c', "printf '%s\\n' 'denied: ${QUOTED_TOKEN}' >&2; exit 1"]);
  await writeFile(
    cfg,
    `version: 1
deployment: { name: secrets, environment: test }
sources:
  prom: { type: prometheus, url: "${dead.url}/tenant/\${SHORT_TOKEN}/prom", timeout: 2s }
  pre: { type: command, argv: ${argv}, timeout: 5s }
gates:
  - { id: q, source: prom, query: up, go: "== 1" }
  - { id: preflight, source: pre }
`,
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const env = { SHORT_TOKEN: SHORT, QUOTED_TOKEN: QUOTED };
const jsonEscaped = JSON.stringify(QUOTED).slice(1, -1);

describe('warroom check never shows an environment value', () => {
  it('json and --output: the URL path is masked, the quoted secret in stderr redacted', async () => {
    const out = join(dir, 'report.json');
    const r = await runCli(['check', '--format', 'json', '--output', out, '--config', cfg], { env, timeoutMs: 20_000 });
    expect(r.code).toBe(0);
    const file = await readFile(out, 'utf8');
    for (const text of [r.stdout, file]) {
      expect(text).not.toContain(`/${SHORT}/`);
      expect(text).not.toContain(jsonEscaped);
      expect(text).not.toContain(QUOTED);
      const report = JSON.parse(text) as { criteria: { id: string; reason: string }[]; sources: { id: string; error?: string }[] };
      expect(report.sources.find((s) => s.id === 'prom')!.error).toContain('/tenant/[redacted]/prom');
      expect(report.criteria.find((c) => c.id === 'preflight')!.reason).toBe('exit 1: denied: [redacted]');
    }
  });

  it('text: the same, and a startup warning names the short variable (never its value)', async () => {
    const r = await runCli(['check', '--config', cfg], { env, timeoutMs: 20_000 });
    expect(r.stdout).toContain('/tenant/[redacted]/prom');
    expect(r.stdout).not.toContain(`/${SHORT}/`);
    expect(r.stdout).not.toContain(QUOTED);
    expect(r.stderr).toMatch(/warning: .*SHORT_TOKEN/);
    expect(r.stderr).not.toContain('QUOTED_TOKEN');
    expect(r.stderr).not.toContain(SHORT);
  });

  it('validate gives the same startup warning', async () => {
    const r = await runCli(['validate', '--config', cfg], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: .*SHORT_TOKEN/);
  });
});
