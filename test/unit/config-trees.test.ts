/**
 * A config's parsed tree kept between runs (src/config/load.ts `trees`, src/cli/configTrees.ts):
 * a text that loaded cleanly gives the same Config from its kept tree as from its parse;
 * substitution and validation still run on every load; a problem found from a kept tree is
 * reported from a fresh parse, with its line; a tree is kept only for a clean load. The sealing:
 * what goes in comes out (aliases, -0, NaN, Infinity, a `__proto__` key), and only with its key.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { seal, unseal } from '../../src/cli/configTrees.js';
import { loadConfigText, type LoadResult, type ParsedTrees } from '../../src/config/load.js';

const EXAMPLE = join(resolve(__dirname, '../..'), 'config/warroom.example.yaml');
const TOKENS = { PROM_TOKEN: 'prom-s3cret-token', CONTROL_TOKEN: 'ctl-s3cret-token' };

/** In memory, through v8's serializer as the file store does; counts what it is asked. */
function memoryTrees(): ParsedTrees & { gets: number; hits: number; puts: number; kept: Map<string, Buffer> } {
  const kept = new Map<string, Buffer>();
  const t = {
    kept,
    gets: 0,
    hits: 0,
    puts: 0,
    get(text: string) {
      t.gets++;
      const b = kept.get(text);
      if (b) t.hits++;
      return b ? deserialize(b) : undefined;
    },
    put(text: string, tree: unknown) {
      t.puts++;
      kept.set(text, serialize(tree));
    },
  };
  return t;
}

const okConfig = (r: LoadResult) => {
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.line} ${p.path}: ${p.message}`).join('\n'));
  return r.config;
};

describe('loading from a kept tree', () => {
  it('the bundled example: the same Config from its kept tree as from its parse', () => {
    const text = readFileSync(EXAMPLE, 'utf8');
    const trees = memoryTrees();
    const parsed = okConfig(loadConfigText(text, { file: EXAMPLE, env: TOKENS, trees }));
    expect([trees.gets, trees.hits, trees.puts]).toEqual([1, 0, 1]);
    const kept = okConfig(loadConfigText(text, { file: EXAMPLE, env: TOKENS, trees }));
    expect([trees.gets, trees.hits, trees.puts]).toEqual([2, 1, 1]);
    expect(kept).toEqual(parsed);
    expect(kept.secrets).toEqual(expect.arrayContaining(['prom-s3cret-token', 'ctl-s3cret-token']));
  });

  it('the kept tree is what is read (no parse), and ${ENV} is substituted on every load', () => {
    const text = 'version: 1\ndeployment: { name: d, environment: "${WHERE}" }\nsources: { s: { type: command, argv: [echo, "1"] } }\ngates: [{ id: g, source: s, go: "== 1" }]\n';
    const trees = memoryTrees();
    expect(okConfig(loadConfigText(text, { file: '/tmp/w.yaml', env: { WHERE: 'staging' }, trees })).deployment.environment).toBe('staging');
    // Another environment, the same kept tree.
    expect(okConfig(loadConfigText(text, { file: '/tmp/w.yaml', env: { WHERE: 'prod' }, trees })).deployment.environment).toBe('prod');
    expect(trees.hits).toBe(1);
    // A tree that differs from the text: what comes back is the tree's, so the text was not parsed.
    const tree = deserialize(trees.kept.get(text)!) as { gates: { go: string }[] };
    tree.gates[0]!.go = '== 7';
    trees.kept.set(text, serialize(tree));
    expect(okConfig(loadConfigText(text, { file: '/tmp/w.yaml', env: { WHERE: 'prod' }, trees })).gates[0]!.go).toMatchObject({ text: '== 7' });
  });

  it('a problem found from a kept tree is reported from a fresh parse, with its line; only a clean load is kept', () => {
    const text = 'version: 1\ndeployment: { name: d, environment: e }\nsources: { s: { type: command, argv: [echo, "${V}"] } }\ngates:\n  - { id: g, source: s, go: "== 1" }\n';
    const trees = memoryTrees();
    okConfig(loadConfigText(text, { file: '/tmp/w.yaml', env: { V: '1' }, trees }));
    const r = loadConfigText(text, { file: '/tmp/w.yaml', env: {}, trees });
    expect(r.ok).toBe(false);
    expect(trees.hits).toBe(1);
    expect(!r.ok && r.problems).toEqual([expect.objectContaining({ path: 'sources.s.argv[1]', line: 3, message: expect.stringMatching(/V/) })]);
    expect(trees.puts).toBe(1);

    const broken = text.replace('"== 1"', '"=> 1"');
    expect(loadConfigText(broken, { file: '/tmp/w.yaml', env: { V: '1' }, trees }).ok).toBe(false);
    const dup = `${text}version: 1\n`;
    expect(loadConfigText(dup, { file: '/tmp/w.yaml', env: { V: '1' }, trees }).ok).toBe(false);
    expect(trees.puts).toBe(1);
    expect([...trees.kept.keys()]).toEqual([text]);
  });
});

describe('sealing a tree', () => {
  const key = Buffer.alloc(32, 7);

  it('gives back what it sealed: shared values stay shared, -0, NaN, Infinity and a __proto__ key stay as they were', () => {
    const shared = { a: [1, 2] };
    const odd = JSON.parse('{"__proto__": {"x": 1}}') as object;
    const back = unseal(key, seal(key, { one: shared, two: shared, z: -0, n: NaN, i: -Infinity, odd })) as Record<string, unknown>;
    expect(back.one).toBe(back.two);
    expect(back.one).toEqual({ a: [1, 2] });
    expect(Object.is(back.z, -0)).toBe(true);
    expect(back.n).toBeNaN();
    expect(back.i).toBe(-Infinity);
    expect(Object.getPrototypeOf(back.odd)).toBe(Object.prototype);
    expect(Object.keys(back.odd as object)).toEqual(['__proto__']);
  });

  it('with another key, one bit flipped anywhere, or cut short: nothing', () => {
    const file = seal(key, { gates: ['g'.repeat(100)] });
    expect(unseal(Buffer.alloc(32, 8), file)).toBeUndefined();
    for (let i = 0; i < file.length; i += 7) {
      const b = Buffer.from(file);
      b[i]! ^= 0x01;
      expect(unseal(key, b)).toBeUndefined();
    }
    expect(unseal(key, file.subarray(0, file.length - 1))).toBeUndefined();
    expect(unseal(key, file.subarray(0, 20))).toBeUndefined();
    expect(unseal(key, Buffer.concat([file, Buffer.from([0])]))).toBeUndefined();
    // Not plain text: nothing of the tree is readable in the file.
    expect(file.includes(Buffer.from('ggggg'))).toBe(false);
  });
});
