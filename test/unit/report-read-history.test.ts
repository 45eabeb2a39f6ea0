/** Reading the gate history of an audit dir for the report: which file, damaged lines, size. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readHistory } from '../../src/report/readHistory.js';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'warroom-read-history-'));
  dirs.push(d);
  return d;
};

describe('readHistory', () => {
  it('draws history.jsonl (the lock holder), else the fullest history-<actor>.jsonl; the others are named, not mixed in', async () => {
    const d = tmp();
    writeFileSync(join(d, 'history-bob.jsonl'), '{"t":2,"o":"GO"}\n');
    writeFileSync(join(d, 'history-carol.jsonl'), '{"t":1,"o":"GO"}\n{"t":3,"o":"WARN"}\nnot json\n');
    expect(await readHistory(d)).toEqual({
      lines: [{ t: 1, o: 'GO' }, { t: 3, o: 'WARN' }],
      files: ['history-carol.jsonl'],
      notes: ['history-carol.jsonl: 1 unreadable line(s) skipped', "history-bob.jsonl: another console's history, not drawn"],
    });
    writeFileSync(join(d, 'history.jsonl'), '{"t":5,"i":10}\n');
    const r = await readHistory(d);
    expect(r.lines).toEqual([{ t: 5, i: 10 }]);
    expect(r.files).toEqual(['history.jsonl']);
    expect(await readHistory(join(d, 'nope'))).toEqual({ lines: [], files: [], notes: [] });
  });

  it('a history past its size cap (~17 MB, 300k lines) is read without overflowing the stack', async () => {
    const d = tmp();
    const line = (i: number) => `{"t":${1_796_000_000_000 + i * 1000},"g":"g${i % 50}","s":"PASS","v":0.9}\n`;
    let text = '';
    for (let i = 0; i < 300_000; i++) text += line(i);
    writeFileSync(join(d, 'history.jsonl'), text);
    const r = await readHistory(d);
    expect(r.lines).toHaveLength(300_000);
  });
});
