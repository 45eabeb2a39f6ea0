/** The room stream read back as chains; lines forged from the contract (sorted-key JSON, sha256), not with our chain code. */
import { describe, expect, it } from 'vitest';
import { chainStream, type StreamMsg } from '../../src/room/chains.js';
import { escapeToken, roomNames, unescapeToken, actorOfSubject, presenceKey } from '../../src/room/names.js';
import { parseRoomFrame, Seen } from '../../src/room/frames.js';
import { peopleOf, roomText } from '../../src/room/people.js';
import { canonical, GENESIS, sha } from '../helpers/forge.js';

function line(seq: number, prev: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const body = { schema: 'warroom.ledger/v1', seq, ts: `2026-12-07T10:00:0${seq}Z`, type: 'note', text: `n${seq}`, actor: 'alice', deployment: 'd', environment: 'e', prev_hash: prev, ...extra };
  return { ...body, hash: sha(canonical(body)) };
}
const names = roomNames({ room: 'd' });
let sseq = 0;
const msg = (l: unknown, actor = 'alice'): StreamMsg => ({ seq: ++sseq, subject: names.ledgerSubject(actor), data: typeof l === 'string' ? l : JSON.stringify(l) });

describe('chainStream', () => {
  it('chains each subject from the genesis; copies count once; forks, edits and strays are listed', () => {
    const l1 = line(1, GENESIS);
    const l2 = line(2, l1.hash as string);
    const l3 = line(3, l2.hash as string);
    const fork = line(3, l2.hash as string, { text: 'forged third' });
    const edited = { ...line(4, l3.hash as string), text: 'changed after hashing' };
    const stray = line(7, `sha256:${'1'.repeat(64)}`);
    const gap = line(5, l3.hash as string);
    const r = chainStream([msg(l1), msg(l2), msg(l2), msg(l3), msg(fork), msg(edited), msg(stray), msg(gap), msg('{not json'), { seq: ++sseq, subject: 'warroom.d.room', data: '{}' }], names);
    expect(r.chains).toHaveLength(1);
    expect(r.chained.map((c) => c.line.seq)).toEqual([1, 2, 3]);
    expect(r.copies).toBe(1);
    const whys = r.orphans.map((o) => o.why);
    expect(whys).toEqual([
      expect.stringMatching(/fork/),
      expect.stringMatching(/hash does not match/),
      expect.stringMatching(/no chained line before it/),
      expect.stringMatching(/seq does not follow 3/),
      'not a JSON ledger line',
      'not a ledger subject of this room',
    ]);
  });

  it('a line on another actor subject does not extend alice\'s chain', () => {
    const l1 = line(1, GENESIS);
    const l2 = line(2, l1.hash as string);
    const r = chainStream([msg(l1, 'alice'), msg(l2, 'mallory')], names);
    expect(r.chained).toHaveLength(1);
    expect(r.orphans[0]!.subject).toBe('warroom.d.ledger.mallory');
  });
});

describe('names', () => {
  it('escapes every byte outside [A-Za-z0-9_-]; one to one; KV-safe', () => {
    for (const a of ['alice', 'a.b', 'x>*', 'é ü', '=3D', 'a\u001b[2Jb', '']) {
      const t = escapeToken(a);
      expect(t).toMatch(/^[A-Za-z0-9_=-]+$/);
      expect(unescapeToken(t)).toBe(a);
      expect(presenceKey(a)).toMatch(/^presence\.[-/_=.a-zA-Z0-9]+$/);
    }
    expect(escapeToken('=')).not.toBe(escapeToken('=3D'));
    expect(actorOfSubject(names, names.ledgerSubject('a.b>'))).toBe('a.b>');
    expect(actorOfSubject(names, 'warroom.d.ledger.a.b')).toBeUndefined();
    const long = escapeToken('é'.repeat(200));
    expect(long.length).toBeLessThanOrEqual(256);
    expect(long).toMatch(/^[A-Za-z0-9_=-]+=H[0-9a-f]{32}$/);
    expect(escapeToken('é'.repeat(200))).toBe(long);
    expect(escapeToken('é'.repeat(201))).not.toBe(long);
  });
});

describe('room frames', () => {
  const enc = (v: unknown) => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));
  const origin = { actor: 'bob', host: 'h', run: 'r' };
  it('status and alert frames from a console are not taken; a frame without an origin is invalid; a line for another deployment is dropped', () => {
    const seen = new Seen();
    const o = { deployment: 'd', maxPayload: 1 << 20, seen };
    expect(parseRoomFrame(enc({ type: 'status', seq: 1, ts: 't', key: 'k', value: 1, deployment: 'd', origin }), o)).toMatchObject({ ok: false, reason: 'unknown_type' });
    expect(parseRoomFrame(enc({ type: 'event', seq: 1, ts: 't', text: 'x', deployment: 'd' }), o)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(parseRoomFrame(enc({ type: 'ack', seq: 1, ts: 't', role: 'r', actor: 'bob', deployment: 'd', origin, line: { deployment: 'other', hash: 'h1' } }), o)).toMatchObject({ ok: false, reason: 'other_deployment', origin: 'bob@h' });
    expect(parseRoomFrame(enc({ type: 'ack', seq: 2, ts: 't', role: 'r', actor: 'bob', deployment: 'd', origin, line: { deployment: 'd', hash: 'h1' } }), o).ok).toBe(true);
    // The same signed line again under a new seq: a replay.
    expect(parseRoomFrame(enc({ type: 'ack', seq: 3, ts: 't', role: 'r', actor: 'bob', deployment: 'd', origin, line: { deployment: 'd', hash: 'h1' } }), o)).toMatchObject({ ok: false, reason: 'replayed' });
    expect(parseRoomFrame(enc('x'.repeat(100)), { ...o, maxPayload: 50 })).toMatchObject({ ok: false, reason: 'oversize' });
  });
});

describe('people', () => {
  it('names the room: the speaker starred, read-only marked, control sequences stripped', () => {
    const p = peopleOf([{ actor: 'carol', readOnly: true }, { actor: 'bob' }, { actor: 'alice', role: 'rc' }, { nope: 1 }, { actor: 'evil\u001b[31m' }]);
    expect(roomText(p, 'alice')).toMatch(/^room 4: alice\* bob carol\(ro\) evil/);
    expect(roomText(p, 'alice')).not.toContain('\u001b');
  });
});
