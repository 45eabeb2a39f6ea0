/**
 * A config that loaded cleanly is kept parsed, sealed with its own text, in the private cache
 * directory (src/cli/configTrees.ts), through the compiled binary: the next `check` or
 * `validate` of the same text reads the tree instead of parsing; ${ENV} is substituted on every
 * run; the file shows nothing of the config (an inline credential included); a text changed by
 * a byte, a damaged file, or a file sealed for another text is not used, and the verdict is
 * always the one the text gives. A small config, a refused one, a cache directory others may
 * write, or caching turned off: none is kept.
 */
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';

let root: string;
const uid = process.getuid!();
const CREDENTIAL = 'inline-credential-5f2c9a71';

/** Over 4 KB (configTrees' MIN_TEXT): 90 gates on one command source, one from ${WR_VALUE}, one over http with an inline credential. */
function bigConfig(threshold = '== 1'): string {
  const gates = Array.from({ length: 90 }, (_, i) => `  - { id: gate-${String(i).padStart(3, '0')}, source: one, go: "${threshold}" }`).join('\n');
  return `version: 1
deployment: { name: trees, environment: test }
sources:
  one: { type: command, argv: [echo, "1"], timeout: 5s }
  env: { type: command, argv: [echo, "\${WR_VALUE}"], timeout: 5s }
  api: { type: http, url: "http://127.0.0.1:9/value", headers: { Authorization: "Bearer ${CREDENTIAL}" }, timeout: 2s }
gates:
  - { id: from-env, source: env, go: "== 1" }
  - { id: api, source: api, go: "== 1" }
${gates}
audit: { dir: ${join(tmpdir(), 'wr-trees-audit')} }
`;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'wr-config-trees-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A fresh TMPDIR and config file for one case. */
function place(name: string, text = bigConfig()): { env: Record<string, string>; cacheDir: string; config: string } {
  const dir = join(root, name);
  mkdirSync(dir);
  const config = join(dir, 'warroom.yaml');
  writeFileSync(config, text);
  return { env: { TMPDIR: dir, NODE_DEBUG: 'warroom', WR_VALUE: '1.000' }, cacheDir: join(dir, `warroom-code-cache-${uid}`), config };
}

const check = (config: string, env: Record<string, string>): Promise<CliResult> => runCli(['check', '--strict', '--config', config], { env });
/** The report without its first line (the time it was made). */
const report = (r: CliResult) => r.stdout.split('\n').slice(1).join('\n');
const trees = (dir: string) => {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.tree'));
  } catch {
    return [];
  }
};

describe('a config kept parsed between runs', () => {
  it('the first run keeps it sealed; the next check and validate read it, with the same report; nothing of the config is in the file', async () => {
    const { env, cacheDir, config } = place('fresh');
    const first = await check(config, env);
    expect(first.code).toBe(2);
    expect(first.stdout).toMatch(/from-env\s+1\s/);
    expect(first.stderr).toMatch(/config tree: .*\.tree written/);
    expect(first.stderr).not.toMatch(/config tree: .* used/);
    const [name] = trees(cacheDir);
    expect(name).toMatch(/^[0-9a-f]{40}\.tree$/);
    const file = join(cacheDir, name!);
    expect(lstatSync(file).mode & 0o777).toBe(0o600);
    const bytes = readFileSync(file);
    for (const s of [CREDENTIAL, 'gate-042', 'Authorization', 'trees']) expect(bytes.includes(Buffer.from(s))).toBe(false);

    const second = await check(config, env);
    expect(second.stderr).toMatch(/config tree: .* used/);
    expect(second.stderr).not.toMatch(/config tree: .* written/);
    expect(second.code).toBe(2);
    expect(report(second)).toBe(report(first));

    const valid = await runCli(['validate', '--config', config], { env });
    expect(valid.code).toBe(0);
    expect(valid.stdout).toMatch(/valid — 92 gates, 3 sources/);
    expect(valid.stderr).toMatch(/config tree: .* used/);
    expect(trees(cacheDir)).toEqual([name]);
  }, 30_000);

  it('${ENV} is substituted on every run, from the environment of that run', async () => {
    const { env, cacheDir, config } = place('env');
    await check(config, env);
    const other = await check(config, { ...env, WR_VALUE: '2.000' });
    expect(other.stderr).toMatch(/config tree: .* used/);
    expect(other.stdout).toMatch(/\[FAIL\]\s+from-env\s+2\s/);
    // Unset: a config problem, reported from a fresh parse with its line, and nothing new kept.
    const { WR_VALUE: _unset, ...without } = env;
    const refused = await check(config, without);
    expect(refused.code).toBe(78);
    expect(refused.stderr).toMatch(/warroom\.yaml:5 sources\.env\.argv\[1\]: environment variable WR_VALUE is not set/);
    expect(trees(cacheDir)).toHaveLength(1);
  }, 30_000);

  it('a text changed by one byte finds no tree; a damaged file, or one sealed for another text, is not used: the verdict is the text\'s', async () => {
    const { env, cacheDir, config } = place('changed');
    const go = await check(config, env);
    const [a] = trees(cacheDir);
    // One byte: every gate's threshold `== 1` becomes `== 2`.
    writeFileSync(config, bigConfig('== 2'));
    const changed = await check(config, env);
    expect(changed.stderr).not.toMatch(/config tree: .* used/);
    expect(changed.stderr).toMatch(/config tree: .* written/);
    expect(changed.stdout).toMatch(/\[FAIL\]\s+gate-000/);
    expect(report(changed)).not.toBe(report(go));
    const b = trees(cacheDir).find((f) => f !== a)!;
    expect(b).toBeDefined();

    // Damaged: one bit flipped.
    const fileB = join(cacheDir, b);
    const bytes = readFileSync(fileB);
    bytes[bytes.length >> 1]! ^= 0x04;
    writeFileSync(fileB, bytes, { mode: 0o600 });
    const damaged = await check(config, env);
    expect(damaged.stderr).toMatch(/config tree: .* is damaged or not this text's; not used/);
    expect(report(damaged)).toBe(report(changed));
    expect(damaged.stderr).toMatch(/config tree: .* written/);

    // The first text's tree put where the second text's belongs: sealed with another key.
    renameSync(join(cacheDir, a!), fileB);
    const swapped = await check(config, env);
    expect(swapped.stderr).toMatch(/config tree: .* is damaged or not this text's; not used/);
    expect(report(swapped)).toBe(report(changed));
    expect(swapped.stdout).toMatch(/\[FAIL\]\s+gate-000/);
  }, 30_000);

  it('a small config, a refused one, a cache directory others may write, and NODE_DISABLE_COMPILE_CACHE keep none', async () => {
    const small = place('small', 'version: 1\ndeployment: { name: s, environment: t }\nsources: { one: { type: command, argv: [echo, "1"] } }\ngates: [{ id: g, source: one, go: "== 1" }]\n');
    expect((await check(small.config, small.env)).code).toBe(0);
    expect(trees(small.cacheDir)).toEqual([]);

    const refused = place('refused', bigConfig('=> 1'));
    expect((await check(refused.config, refused.env)).code).toBe(78);
    expect(trees(refused.cacheDir)).toEqual([]);

    const open = place('open');
    mkdirSync(open.cacheDir);
    chmodSync(open.cacheDir, 0o777);
    const inOpen = await check(open.config, open.env);
    expect(inOpen.code).toBe(2);
    expect(inOpen.stderr).not.toMatch(/config tree/);
    expect(readdirSync(open.cacheDir)).toEqual([]);

    const off = place('off');
    const r = await check(off.config, { ...off.env, NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(r.code).toBe(2);
    expect(readdirSync(join(off.cacheDir, '..'))).toEqual(['warroom.yaml']);
  }, 30_000);
});
