/** Exit codes that are not decisions (SPEC §1): usage 64, configuration 78, and what they print. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'warroom-usage-'));
});

describe('command line', () => {
  it('--help and --version exit 0', async () => {
    const h = await runCli(['--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('warroom check [--config FILE] [--strict]');
    const v = await runCli(['--version']);
    expect(v.stdout).toMatch(/^warroom \d+\.\d+\.\d+\n$/);
  });

  it.each([
    [['frobnicate'], /unknown command "frobnicate"/],
    [['check', '--strictt'], /Unknown option '--strictt'/],
    [['check', '--format', 'xml'], /--format must be text or json/],
    [['sim', '--port', 'http'], /--port must be an integer/],
    [['demo', '--speed', '0'], /--speed must be a number/],
    [['audit', 'inspect'], /unknown audit subcommand/],
    [['replay'], /replay takes 1 argument/],
  ])('bad usage %j exits 64 with a message, no stack trace', async (args, msg) => {
    const r = await runCli(args as string[]);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(msg);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('an invalid config lists every problem with its line and exits 78', async () => {
    const file = join(dir, 'bad.yaml');
    await writeFile(
      file,
      `version: 1
deployment: { name: d }
sources:
  exporter: { type: scrape, url: http://127.0.0.1:1/metrics, interval: 5 }
gates:
  - { id: a, source: nowhere, metric: x, go: ">= 1" }
  - { id: a, source: exporter, metric: x, go: "=> 1" }
  - { id: b, source: exporter, metric: x, go: ">= 1", colour: red }
`,
    );
    const r = await runCli(['check', '--config', file]);
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/bad\.yaml:4 sources\.exporter\.interval/);
    expect(r.stderr).toMatch(/bad\.yaml:6 gates\[0\]\.source: .*nowhere/);
    expect(r.stderr).toMatch(/bad\.yaml:7 gates\[1\]\.id: .*duplicate/i);
    expect(r.stderr).toMatch(/bad\.yaml:7 gates\[1\]\.go/);
    expect(r.stderr).toMatch(/bad\.yaml:8 gates\[2\].*colour/);
    const v = await runCli(['validate', '--config', file]);
    expect(v.code).toBe(78);
  });

  it('a secret from the environment never appears in any output', async () => {
    const file = join(dir, 'secret.yaml');
    await writeFile(
      file,
      `version: 1
deployment: { name: d }
sources:
  prom: { type: prometheus, url: "http://127.0.0.1:9/\${PROM_PATH}", headers: { Authorization: "Bearer \${PROM_TOKEN}" }, timeout: 1s }
gates:
  - { id: a, source: prom, query: up, go: "== 1" }
audit: { dir: ${join(dir, 'audit')} }
`,
    );
    const env = { PROM_TOKEN: 's3cr3t-token-value', PROM_PATH: 'hidden-path-segment' };
    for (const args of [['check', '--config', file], ['check', '--config', file, '--format', 'json'], ['validate', '--config', file]]) {
      const r = await runCli(args, { env });
      expect(r.stdout + r.stderr).not.toContain('s3cr3t-token-value');
      expect(r.stdout + r.stderr).not.toContain('hidden-path-segment');
    }
  });

  it('config discovery: --config, then $WARROOM_CONFIG, then ./warroom.yaml', async () => {
    const file = join(dir, 'warroom.yaml');
    await writeFile(file, 'version: 1\ndeployment: { name: from-cwd }\nsources: {}\ngates:\n  - { id: m, source: manual, signoff_role: on_call }\n');
    const cwd = await runCli(['validate'], { cwd: dir });
    expect(cwd.stdout).toContain('deployment from-cwd');
    const other = join(dir, 'other.yaml');
    await writeFile(other, 'version: 1\ndeployment: { name: from-env }\nsources: {}\ngates:\n  - { id: m, source: manual, signoff_role: on_call }\n');
    const env = await runCli(['validate'], { cwd: dir, env: { WARROOM_CONFIG: other } });
    expect(env.stdout).toContain('deployment from-env');
    const missing = await runCli(['validate'], { cwd: tmpdir(), env: { WARROOM_CONFIG: join(dir, 'nope.yaml') } });
    expect(missing.code).toBe(78);
  });

  it('the console refuses to start without a terminal, pointing to check', async () => {
    const r = await runCli(['demo']);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/needs an interactive terminal.*warroom check --strict/);
  });
});
