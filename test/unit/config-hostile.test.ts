import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadConfigFile, loadConfigText, formatProblems, MAX_CONFIG_BYTES, type LoadResult } from '../../src/config/load.js';
import type { ConfigProblem } from '../../src/config/types.js';

const load = (text: string): LoadResult => loadConfigText(text, { file: '/tmp/h/warroom.yaml', env: {} });
function bad(r: LoadResult): ConfigProblem[] {
  if (r.ok) throw new Error('expected problems');
  expect(r.problems.length).toBeGreaterThan(0);
  for (const p of r.problems) expect(typeof p.message).toBe('string');
  // formatting never throws either
  expect(formatProblems(r.problems, '/tmp/h/warroom.yaml').split('\n')).toHaveLength(r.problems.length);
  return r.problems;
}

describe('hostile or broken input gives problems, not crashes', () => {
  it('non-mapping roots', () => {
    expect(bad(load(''))[0]!.message).toMatch(/file is empty/);
    expect(bad(load('# only a comment\n'))[0]!.message).toMatch(/file is empty/);
    expect(bad(load('- a\n- b\n'))[0]!.message).toBe('the top level must be a mapping (key: value), got a list');
    expect(bad(load('just words'))[0]!.message).toBe('the top level must be a mapping (key: value), got text');
    expect(bad(load('42'))[0]!.message).toMatch(/got number 42/);
  });

  it('huge text is refused before parsing', () => {
    const t0 = Date.now();
    const p = bad(load('a: ' + 'x'.repeat(MAX_CONFIG_BYTES + 10)));
    expect(p[0]!.message).toMatch(/too large/);
    expect(Date.now() - t0).toBeLessThan(2_000);
  });

  it('NUL bytes are reported as binary with a line', () => {
    const p = bad(load('version: 1\nx: \u0000\u0001\u0002'));
    expect(p[0]).toMatchObject({ line: 2, message: expect.stringMatching(/binary/) });
  });

  it('recursive aliases and alias bombs', () => {
    expect(bad(load('version: 1\nx: &a [*a]\n')).some((p) => /recursive alias|could not be expanded|YAML/.test(p.message))).toBe(true);
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 10; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const t0 = Date.now();
    bad(load(bomb.join('\n')));
    expect(Date.now() - t0).toBeLessThan(2_000);
  });

  it('deep nesting, odd tags, keys that look like prototypes, several documents', () => {
    const t0 = Date.now();
    expect(bad(load('version: 1\nx: ' + '['.repeat(300_000) + ']'.repeat(300_000) + '\n'))[0]).toMatchObject({ line: 2, message: 'nesting is deeper than 64 levels' });
    let block = 'version: 1\nx:\n';
    for (let i = 1; i <= 600; i++) block += `${' '.repeat(i)}k:\n`;
    expect(bad(load(block))[0]!.message).toMatch(/indented more than 512 columns/);
    expect(Date.now() - t0).toBeLessThan(2_000);
    // brackets inside quoted strings and comments do not count
    expect(load(`version: 1\ndeployment: { name: "${'['.repeat(100)}" } # ${'{'.repeat(100)}\ngates: [{ id: a, source: manual, signoff_role: r }]\n`).ok).toBe(true);
    expect(bad(load('version: 1\ndeployment: { name: !!binary aGVsbG8= }\ngates: [{ id: a, source: manual, signoff_role: r }]\n')).map((p) => p.path)).toEqual(['deployment.name']);
    const proto = bad(load('version: 1\n__proto__: { polluted: true }\ndeployment: { name: d }\ngates: [{ id: a, source: manual, signoff_role: r }]\n'));
    expect(proto.map((p) => `${p.line} ${p.path}`)).toEqual(['2 __proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(bad(load('version: 1\n---\nversion: 1\n'))[0]!.message).toMatch(/YAML syntax/);
  });

  it('wrong types everywhere at once, with lines', () => {
    const p = bad(load('version: "1"\ndeployment: [a]\nroles: 3\nsources: [a]\ngates: { a: 1 }\ndecision: yes\nramp: 5\nactions: []\ninfluence: x\naudit: 1\n'));
    expect(p.map((x) => `${x.line} ${x.path}`)).toEqual([
      '1 version', '2 deployment', '3 roles', '4 sources', '5 gates', '6 decision', '7 ramp', '8 actions', '9 influence', '10 audit',
    ]);
    expect(p[1]!.message).toBe('expected a mapping, got a list');
  });

  it('gate entries that are not mappings', () => {
    const p = bad(load('version: 1\ndeployment: { name: d }\ngates:\n  - just text\n  - null\n  - [1]\n'));
    expect(p.map((x) => `${x.line} ${x.path}`)).toEqual(['4 gates[0]', '5 gates[1]', '6 gates[2]']);
  });

  it('control characters in display text are refused', () => {
    const p = bad(load('version: 1\ndeployment: { name: "d\\u001b[2J" }\ngates: [{ id: a, source: manual, signoff_role: r, title: "x\\ny" }]\n'));
    expect(p.map((x) => x.path)).toEqual(['deployment.name', 'gates[0].title']);
    expect(p[0]!.message).toMatch(/control characters/);
  });
});

describe('hostile files', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'warroom-hostile-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('random binary', async () => {
    const f = join(dir, 'bin.yaml');
    const b = randomBytes(4096);
    b[100] = 0;
    await writeFile(f, b);
    expect(bad(await loadConfigFile(f, {}))[0]!.message).toMatch(/binary/);
  });

  it('invalid UTF-8', async () => {
    const f = join(dir, 'latin1.yaml');
    await writeFile(f, Buffer.from([0x76, 0x3a, 0x20, 0xff, 0xfe, 0x0a]));
    expect(bad(await loadConfigFile(f, {}))[0]!.message).toMatch(/UTF-8/);
  });

  it('a file over the size limit', async () => {
    const f = join(dir, 'big.yaml');
    await writeFile(f, Buffer.alloc(MAX_CONFIG_BYTES + 1, 0x61));
    expect(bad(await loadConfigFile(f, {}))[0]!.message).toMatch(/too large/);
  });

  it('a UTF-8 BOM is fine', async () => {
    const f = join(dir, 'bom.yaml');
    await writeFile(f, '\ufeffversion: 1\ndeployment: { name: d }\ngates: [{ id: a, source: manual, signoff_role: r }]\n');
    const r = await loadConfigFile(f, {});
    expect(r.ok).toBe(true);
  });
});
