import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FilesSource } from '../../src/config/types.js';
import { FakeClock } from '../../src/core/clock.js';
import { createFilesSource, statusOf } from '../../src/sources/files.js';

const T0 = Date.parse('2026-11-23T14:00:00Z');
let dir: string;
const clock = new FakeClock(T0);
const cfg = (path: string): FilesSource => ({ id: 'validation', type: 'files', path, interval: 60_000, timeout: 5000, staleAfter: 180_000 });
const read = (path = dir, probes = [{ id: 'gate:validation' }]) => createFilesSource(cfg(path)).read(probes, { clock, signal: new AbortController().signal });
/** Writes a file with an mtime `agoS` seconds before T0. */
const put = (name: string, content: string, agoS: number) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  const t = (T0 - agoS * 1000) / 1000;
  utimesSync(p, t, t);
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'warroom-files-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('files source on real folders', () => {
  it('newest file wins; value is its JSON status, asOf its mtime, detail its name', async () => {
    put('run-1.json', '{"status":"FAIL"}', 7200);
    put('run-2.json', '{"status":"PASS","score":0.97}', 3600);
    put('run-0.json', '{"status":"FAIL"}', 10_000);
    const r = await read(dir, [{ id: 'a' }, { id: 'b' }]);
    expect(r.ok).toBe(true);
    expect(r.readings.a).toEqual({ value: 'PASS', observedAt: T0, asOf: T0 - 3_600_000, detail: 'run-2.json' });
    expect(r.readings.b).toEqual(r.readings.a);
  });

  it('ignores dotfiles, *.tmp and folders; follows symlinks to files', async () => {
    put('old.json', '{"status":true}', 500);
    put('.hidden.json', '{"status":"HIDDEN"}', 1);
    put('writing.tmp', '{"status":"PARTIAL', 1);
    mkdirSync(join(dir, 'sub'));
    let r = await read();
    expect(r.readings['gate:validation']).toMatchObject({ value: true, detail: 'old.json' });
    put('target.json', '{"status":"LINKED"}', 100);
    symlinkSync(join(dir, 'target.json'), join(dir, 'latest'));
    r = await read();
    expect(r.readings['gate:validation']).toMatchObject({ value: 'LINKED' });
    utimesSync(join(dir, 'target.json'), T0 / 1000 - 10_000, T0 / 1000 - 10_000);
    symlinkSync(join(dir, 'missing.json'), join(dir, 'dangling'));
    put('newer.json', '{"status":"NEWER"}', 50);
    r = await read();
    expect(r.readings['gate:validation']).toMatchObject({ value: 'NEWER', detail: 'newer.json' });
  });

  it('not JSON, no status, wrong type: value null with an error, asOf still set', async () => {
    put('report.txt', 'all good', 10);
    let rd = (await read()).readings['gate:validation']!;
    expect(rd).toEqual({ value: null, observedAt: T0, asOf: T0 - 10_000, detail: 'report.txt', error: 'not JSON: report.txt' });
    put('report2.json', '{"result":"PASS"}', 5);
    rd = (await read()).readings['gate:validation']!;
    expect(rd.error).toBe('no "status" field in report2.json');
    put('report3.json', '{"status":1}', 1);
    rd = (await read()).readings['gate:validation']!;
    expect(rd.error).toBe('"status" in report3.json is not a string or boolean');
    expect(rd.value).toBeNull();
  });

  it('empty or missing folder: source ok, probe error', async () => {
    let r = await read();
    expect(r.ok).toBe(true);
    expect(r.readings['gate:validation']).toEqual({ value: null, observedAt: T0, error: `no files in ${dir}` });
    r = await read(join(dir, 'nope'));
    expect(r.ok).toBe(true);
    expect(r.readings['gate:validation']!.error).toBe(`no files in ${join(dir, 'nope')}`);
  });

  it('a path that is a file: source not ok', async () => {
    put('f.json', '{}', 1);
    const r = await read(join(dir, 'f.json'));
    expect(r.ok).toBe(false);
    expect(r.error).toBe(`${join(dir, 'f.json')}: not a folder`);
  });

  it('status text is sanitized', () => {
    expect(statusOf('{"status":"PA\\u001b[2JSS"}', 'x')).toEqual({ value: 'PASS' });
    expect(statusOf('\uFEFF{"status":false}', 'x')).toEqual({ value: false });
    expect(statusOf('[1]', 'x').error).toBe('no "status" field in x');
  });
});
