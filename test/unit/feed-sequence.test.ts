/** SeqTracker: replays are duplicates, small jumps are gaps, far jumps either way are restarts. */
import { describe, expect, it } from 'vitest';
import { SeqTracker } from '../../src/feed/sequence.js';

const T = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();

/** Feeds `seqs` (ts rising) and returns what was accepted, and the restarts seen. */
function run(t: SeqTracker, seqs: number[], t0 = 0) {
  const accepted: number[] = [];
  const restarts: string[] = [];
  seqs.forEach((seq, i) => {
    const v = t.decide(seq, T(t0 + i));
    if (v.accept) accepted.push(seq);
    if (v.accept && v.restart) restarts.push(`${v.restart.cause} ${v.restart.from}→${v.restart.to}`);
  });
  return { accepted, restarts };
}

describe('SeqTracker', () => {
  it('one seq of 1e300 blinds nothing: it is a restart, and every later frame is delivered', () => {
    const t = new SeqTracker(100_000);
    const r = run(t, [1, 2, 3, 1e300, 4, 5, 6]);
    expect(r.accepted).toEqual([1, 2, 3, 1e300, 4, 5, 6]);
    expect(r.restarts).toEqual(['jump 3→1e+300']);
    // A resume still asks after a seq we can follow.
    expect(t.resumeAfter).toBe(6);
  });

  it('a far jump to a safe integer re-anchors there; falling back far is a second restart, not a duplicate', () => {
    const t = new SeqTracker(100);
    const r = run(t, [10, 11, 5_000, 5_001, 12, 13]);
    expect(r.accepted).toEqual([10, 11, 5_000, 5_001, 12, 13]);
    expect(r.restarts).toEqual(['jump 11→5000', 'jump 5001→12']);
  });

  it('a jump of exactly maxJump is a gap; one more is a restart', () => {
    const t = new SeqTracker(100);
    const v1 = (t.decide(1, T(0)), t.decide(101, T(1)));
    expect(v1).toEqual({ accept: true, gap: { from: 2, to: 100, missed: 99 } });
    const v2 = t.decide(202, T(2));
    expect(v2).toEqual({ accept: true, restart: { cause: 'jump', from: 101, to: 202 } });
  });

  it('replays within maxJump are duplicates, on the same connection and after a reconnect', () => {
    const t = new SeqTracker(100);
    run(t, [1, 2, 3]);
    expect(t.decide(2, T(1))).toEqual({ accept: false, reason: 'duplicate' });
    t.connected();
    // A replay of an old frame (same ts as before) on a new connection.
    expect(t.decide(3, T(2))).toEqual({ accept: false, reason: 'duplicate' });
    expect(t.decide(4, T(3)).accept).toBe(true);
  });

  it('a restarted server (seq 1 again, newer ts) after a reconnect is recognised', () => {
    const t = new SeqTracker(100);
    run(t, [1, 2, 3, 4]);
    t.connected();
    expect(t.decide(2, T(50))).toEqual({ accept: true, restart: { cause: 'reconnect', from: 4, to: 2 }, gap: { from: 1, to: 1, missed: 1 } });
    expect(t.decide(3, T(51)).accept).toBe(true);
  });

  it('the first frame anchors without a gap', () => {
    const t = new SeqTracker();
    expect(t.decide(41, T(0))).toEqual({ accept: true });
    expect(t.resumeAfter).toBe(41);
  });
});
