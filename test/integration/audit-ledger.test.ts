import { describe, it, expect, afterEach, vi } from 'vitest';
import { mkdir, open, readFile, rename, rmdir, appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FakeClock } from '../../src/core/clock.js';
import { Ledger } from '../../src/audit/ledger.js';
import { auditFixture } from '../helpers/auditFixture.js';
import { splitLines, verifyChain } from '../../src/audit/chain.js';
import type { AppendInput } from '../../src/audit/types.js';

const { tempDir, track } = auditFixture('audit');
afterEach(() => {
  vi.restoreAllMocks();
});
async function openLedger(dir: string, clock = new FakeClock()): Promise<Ledger> {
  const l = await Ledger.open(dir, { clock, deployment: 'rl-policy-v42', environment: 'production' });
  track(l);
  return l;
}
const note = (text: string): AppendInput => ({ type: 'note', text, actor: 'alice', role: 'release_captain' });

/** Resolves at the next onChange after which `pred` holds (bounded). */
function until(ledger: Ledger, pred: () => boolean, ms = 3000): Promise<void> {
  if (pred()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      off();
      reject(new Error('timed out waiting for ledger state'));
    }, ms);
    const off = ledger.on('change', () => {
      if (pred()) {
        clearTimeout(t);
        off();
        resolve();
      }
    });
  });
}

async function fileLines(path: string) {
  return splitLines(await readFile(path, 'utf8'));
}

describe('Ledger on a real directory', () => {
  it('200 appends reach disk fsynced, survive re-open, and seq continues', async () => {
    const dir = join(await tempDir(), 'nested', 'audit');
    const probe = await open(join(await tempDir(), 'probe'), 'w');
    const proto = Object.getPrototypeOf(probe) as { datasync: () => Promise<void> };
    await probe.close();
    const syncSpy = vi.spyOn(proto, 'datasync');

    const clock = new FakeClock();
    const ledger = await openLedger(dir, clock);
    expect(ledger.integrity).toEqual({ ok: true, count: 0 });
    for (let i = 1; i <= 200; i++) {
      const line = ledger.append(note(`n${i}`));
      expect(line.seq).toBe(i); // assigned synchronously
      clock.advance(1000);
    }
    expect(ledger.lines()).toHaveLength(200);
    await ledger.flush(60_000);
    expect(ledger.pending()).toBe(0);
    expect(ledger.lastError()).toBeUndefined();
    expect(syncSpy).toHaveBeenCalled();

    const raw = await fileLines(ledger.path);
    expect(raw).toHaveLength(200);
    expect(verifyChain(raw)).toEqual({ ok: true, count: 200 });
    expect(raw.map((r) => JSON.parse(r.text).text)).toEqual(Array.from({ length: 200 }, (_, i) => `n${i + 1}`));
    const first = JSON.parse(raw[0]!.text);
    expect(first).toMatchObject({ schema: 'warroom.ledger/v1', seq: 1, type: 'note', actor: 'alice', role: 'release_captain', deployment: 'rl-policy-v42', environment: 'production', ts: '2026-11-23T14:00:00.000Z' });
    await ledger.close();

    const again = await openLedger(dir, clock);
    expect(again.integrity).toEqual({ ok: true, count: 200 });
    expect(again.lines()).toHaveLength(200);
    const next = again.append(note('after reopen'));
    expect(next.seq).toBe(201);
    expect(next.prev_hash).toBe(JSON.parse(raw[199]!.text).hash);
    await again.flush(10_000);
    expect(verifyChain(await fileLines(again.path))).toEqual({ ok: true, count: 201 });
  });

  it('keeps lines in memory through a write failure and writes them in order once the cause is gone', async () => {
    const dir = await tempDir();
    const clock = new FakeClock();
    const ledger = await openLedger(dir, clock);
    ledger.append(note('a'));
    await ledger.flush(1000);
    // A directory where the file should be: EISDIR even for root.
    await rename(ledger.path, join(dir, 'saved.jsonl'));
    await mkdir(ledger.path);

    const b = ledger.append(note('b'));
    await until(ledger, () => ledger.lastError() !== undefined);
    expect(ledger.lastError()).toMatch(/EISDIR|illegal operation on a directory/);
    ledger.append(note('c'));
    expect(ledger.pending()).toBe(2);
    expect(ledger.lines().map((l) => (l as { text?: string }).text)).toEqual(['a', 'b', 'c']);
    expect(b.seq).toBe(2);

    // Backoff: nothing retries before 1 s; the second failure waits 2 s.
    let changes = 0;
    const off = ledger.on('change', () => changes++);
    clock.advance(999);
    await new Promise((r) => setTimeout(r, 50));
    expect(changes).toBe(0);
    clock.advance(1);
    await until(ledger, () => changes > 0);
    expect(ledger.lastError()).toBeDefined();
    changes = 0;
    clock.advance(1999);
    await new Promise((r) => setTimeout(r, 50));
    expect(changes).toBe(0);

    // Cause removed, and a partial line left behind by a failed write: the retry cuts it off.
    await rmdir(ledger.path);
    await rename(join(dir, 'saved.jsonl'), ledger.path);
    await appendFile(ledger.path, '{"schema":"warroom.ledger/v1","seq":2,"tr');
    clock.advance(1);
    await until(ledger, () => ledger.pending() === 0);
    off();
    expect(ledger.lastError()).toBeUndefined();
    const raw = await fileLines(ledger.path);
    expect(raw.map((r) => JSON.parse(r.text).text)).toEqual(['a', 'b', 'c']);
    expect(verifyChain(raw)).toEqual({ ok: true, count: 3 });
  });

  it('a line appended the moment a flush resolves is written without waiting for another append', async () => {
    const dir = await tempDir();
    const l = await openLedger(dir);
    l.append(note('first'));
    await l.flush();
    // The writer was still ending its turn when flush resolved: this line must not wait for a third.
    l.append(note('right after the flush'));
    await until(l, () => l.pending() === 0, 2000);
    expect((await fileLines(l.path)).map((x) => (JSON.parse(x.text) as { text?: string }).text)).toEqual(['first', 'right after the flush']);
  });

  it('flush with a bounded wait rejects with the current error; flush retries at once', async () => {
    const dir = await tempDir();
    const clock = new FakeClock();
    const ledger = await openLedger(dir, clock);
    await mkdir(ledger.path);
    ledger.append(note('x'));
    await until(ledger, () => ledger.lastError() !== undefined);
    const p = ledger.flush(5000);
    const settled = p.then(() => 'resolved', (e: Error) => e.message);
    await new Promise((r) => setTimeout(r, 50)); // let the immediate retry fail too
    clock.advance(5000);
    expect(await settled).toMatch(/1 audit line\(s\) not yet written.*EISDIR|1 audit line\(s\) not yet written.*directory/);
    await rmdir(ledger.path);
    await ledger.flush(); // an immediate retry, no backoff wait
    expect(ledger.pending()).toBe(0);
    expect(verifyChain(await fileLines(ledger.path))).toEqual({ ok: true, count: 1 });
  });

  it('opens a corrupt ledger without rewriting it and chains new lines after the last line read', async () => {
    const dir = await tempDir();
    const clock = new FakeClock();
    const first = await openLedger(dir, clock);
    const l1 = first.append(note('one'));
    const l2 = first.append(note('two'));
    await first.flush(1000);
    await first.close();
    const before = await readFile(first.path, 'utf8');
    await writeFile(first.path, before + '{"schema":"warroom.ledger/v1","seq":3,"ty'); // torn write

    const ledger = await openLedger(dir, clock);
    expect(ledger.integrity).toEqual({ ok: false, line: 3, reason: 'unparsable JSON (truncated last line)' });
    const l3 = ledger.append(note('three'));
    expect(l3.seq).toBe(3);
    expect(l3.prev_hash).toBe(l2.hash);
    await ledger.flush(1000);
    const text = await readFile(ledger.path, 'utf8');
    expect(text.startsWith(before)).toBe(true); // not rewritten
    const raw = splitLines(text);
    expect(raw).toHaveLength(4); // the torn fragment stays on its own line
    expect(JSON.parse(raw[3]!.text).hash).toBe(l3.hash);
    expect(verifyChain(raw)).toMatchObject({ ok: false, line: 3 });
    expect(l1.seq).toBe(1);
  });

  it('rejects open when an existing ledger cannot be read, and refuses bad appends clearly', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'ledger.jsonl'));
    await expect(Ledger.open(dir, { deployment: 'd', environment: 'e' })).rejects.toThrow(/cannot read audit ledger/);
    const ok = await openLedger(await tempDir());
    expect(() => ok.append({ type: 'note', text: 'x', actor: '' })).toThrow(/needs an actor/);
    await ok.close();
    expect(() => ok.append(note('late'))).toThrow(/closed/);
  });

  it('a payload cannot forge seq or deployment', async () => {
    const ledger = await openLedger(await tempDir());
    const l = ledger.append({ ...note('x'), seq: 99, deployment: 'other' } as unknown as AppendInput);
    expect(l.seq).toBe(1);
    expect(l.deployment).toBe('rl-policy-v42');
  });
});
