/**
 * The ledger backlog's order and exactly-once rules against a recording sink that behaves as
 * JetStream's dedupe does (a message id seen before is not stored again): a real ledger on a temp dir.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ledger } from '../../src/audit/ledger.js';
import { Backlog, cursorPathFor, type StreamSink } from '../../src/room/backlog.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function stream(opts: { failAfter?: number } = {}) {
  const stored: { subject: string; id: string; data: string }[] = [];
  let calls = 0;
  const sink: StreamSink = {
    publish: async (subject, data, id) => {
      if (opts.failAfter !== undefined && ++calls > opts.failAfter) throw new Error('connection lost');
      if (!stored.some((m) => m.id === id)) stored.push({ subject, id, data });
    },
    lastId: async (subject) => stored.filter((m) => m.subject === subject).at(-1)?.id,
  };
  return { sink, stored };
}
const until = async (f: () => boolean) => {
  for (let i = 0; i < 200 && !f(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(f()).toBe(true);
};

async function ledgerIn(dir?: string) {
  const d = dir ?? mkdtempSync(join(tmpdir(), 'warroom-backlog-'));
  if (!dir) dirs.push(d);
  return { dir: d, ledger: await Ledger.open(d, { deployment: 'd', environment: 'e', lockAs: 'alice' }) };
}

describe('Backlog', () => {
  it('publishes only lines on disk, in order, each once; a failure stops the run and the next connection resumes it', async () => {
    const { ledger } = await ledgerIn();
    const s = stream({ failAfter: 2 });
    const b = await Backlog.open(ledger, 'S', 'subj');
    for (let i = 0; i < 5; i++) ledger.append({ type: 'note', text: `n${i}`, actor: 'alice' });
    await ledger.flush();
    await b.online(s.sink);
    await until(() => s.stored.length === 2);
    expect(b.count()).toBe(3);
    const ok = stream();
    ok.stored.push(...s.stored);
    await b.online(ok.sink);
    await until(() => b.count() === 0);
    expect(ok.stored.map((m) => m.id)).toEqual(ledger.lines().map((l) => l.hash));
    expect(JSON.parse(ok.stored[4]!.data)).toEqual(ledger.lines()[4]);
    b.stop();
    await ledger.close();
  });

  it('a publish that fails on a live connection (no stream leader yet) is tried again by itself, in order, each line once', async () => {
    const { ledger } = await ledgerIn();
    const s = stream();
    let failing = 2;
    const flaky: StreamSink = {
      publish: async (subject, data, id) => {
        if (failing > 0) {
          failing--;
          throw new Error('no stream leader');
        }
        return s.sink.publish(subject, data, id);
      },
      lastId: s.sink.lastId,
    };
    const b = await Backlog.open(ledger, 'S', 'subj');
    for (let i = 0; i < 3; i++) ledger.append({ type: 'note', text: `n${i}`, actor: 'alice' });
    await ledger.flush();
    await b.online(flaky);
    // No new line and no reconnect: the backlog still drains (after 0.5 s, then 1 s of backoff).
    for (let i = 0; i < 60 && b.count() > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(b.count()).toBe(0);
    expect(s.stored.map((m) => m.id)).toEqual(ledger.lines().map((l) => l.hash));
    b.stop();
    await ledger.close();
  });

  it('at the next start: the cursor file says where to go on; lines the stream got before the cursor was saved are not sent again', async () => {
    const { dir, ledger } = await ledgerIn();
    const s = stream();
    const b = await Backlog.open(ledger, 'S', 'subj');
    for (let i = 0; i < 3; i++) ledger.append({ type: 'note', text: `n${i}`, actor: 'alice' });
    await ledger.flush();
    await b.online(s.sink);
    await until(() => b.count() === 0);
    await b.drain(100);
    b.stop();
    expect(JSON.parse(readFileSync(cursorPathFor(ledger.path), 'utf8'))).toMatchObject({ stream: 'S', subject: 'subj', hash: ledger.lines()[2]!.hash });
    // Written while offline, then the cursor rolled back as if the console died right after a publish.
    ledger.append({ type: 'note', text: 'n3', actor: 'alice' });
    ledger.append({ type: 'note', text: 'n4', actor: 'alice' });
    await ledger.flush();
    await ledger.close();
    s.stored.push({ subject: 'subj', id: ledger.lines()[3]!.hash, data: JSON.stringify(ledger.lines()[3]) });
    writeFileSync(cursorPathFor(ledger.path), JSON.stringify({ stream: 'S', subject: 'subj', hash: ledger.lines()[1]!.hash }));

    const again = await ledgerIn(dir);
    const b2 = await Backlog.open(again.ledger, 'S', 'subj');
    expect(b2.count()).toBe(3);
    let published = 0;
    const counting: StreamSink = { ...s.sink, publish: async (...a) => (published++, s.sink.publish(...a)) };
    await b2.online(counting);
    await until(() => b2.count() === 0);
    expect(published).toBe(1);
    expect(s.stored.map((m) => m.id)).toEqual(again.ledger.lines().map((l) => l.hash));
    b2.stop();
    await again.ledger.close();
  });

  it('a cursor for another stream or subject is not ours: everything goes (the stream dedupes)', async () => {
    const { ledger } = await ledgerIn();
    ledger.append({ type: 'note', text: 'n', actor: 'alice' });
    await ledger.flush();
    writeFileSync(cursorPathFor(ledger.path), JSON.stringify({ stream: 'OTHER', subject: 'subj', hash: ledger.lines()[0]!.hash }));
    const b = await Backlog.open(ledger, 'S', 'subj');
    expect(b.count()).toBe(1);
    b.stop();
    await ledger.close();
  });
});
