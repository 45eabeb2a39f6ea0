/**
 * Which feed frames are new (SPEC §3, §9.2). `seq` rises by one per message per server, so
 * seq ≤ the last one seen is a replay, and a small jump forward is a gap. But `seq` comes
 * from the wire: one frame with `seq: 1e300` must not make every later frame look like a
 * replay (that silently dropped a firing page alert). So a step of more than `maxJump` in
 * either direction is a server restart: the sequence is re-anchored on that frame, the frame
 * is delivered, and the caller shows a warning. Nothing is ever dropped for being far away.
 *
 * A restart is also recognised across a reconnect, before any frame of the new connection
 * was accepted, when a frame at or below the last seq is newer than what we saw (its `ts`
 * is later), or is a different seq-1 frame. A full replay from seq 1 by a server that
 * ignores `resume` is thus not mistaken for a restart. Trade-off: a restarted server whose
 * clock runs behind, resuming mid-sequence, is only caught up once its seq passes ours (or
 * falls more than `maxJump` below it).
 */

import { DEFAULT_MAX_SEQ_JUMP } from '../config/sources/websocket.js';

// The default is the config's (config/sources/websocket.ts); named here for the tracker's callers.
export { DEFAULT_MAX_SEQ_JUMP };

export type RestartCause = 'jump' | 'reconnect';

export interface SeqRestart {
  cause: RestartCause;
  /** The last seq of the old sequence, and the first of the new one. */
  from: number;
  to: number;
}

export interface SeqGap {
  from: number;
  to: number;
  missed: number;
}

export type SeqVerdict = { accept: true; gap?: SeqGap; restart?: SeqRestart } | { accept: false; reason: 'duplicate' };

export class SeqTracker {
  private anchored = false;
  private last = 0;
  private lastTs: string | undefined;
  private seq1Ts: string | undefined;
  private acceptedOnConn = false;

  constructor(private readonly maxJump: number = DEFAULT_MAX_SEQ_JUMP) {}

  /** The seq a (re)connect resumes after: the last one of a sequence we could follow. */
  get resumeAfter(): number {
    return this.last;
  }

  /** A new connection: the only moment a server can have restarted without a jump. */
  connected(): void {
    this.acceptedOnConn = false;
  }

  /** `seq` is a positive integer (the parser refuses anything else). */
  decide(seq: number, ts: string): SeqVerdict {
    let verdict: SeqVerdict = { accept: true };
    if (!this.anchored) {
      // First frame ever, or after a sequence we cannot follow: history before it is not "missed".
    } else if (Math.abs(seq - this.last) > this.maxJump) {
      verdict = { accept: true, restart: { cause: 'jump', from: this.last, to: seq } };
    } else if (seq > this.last) {
      if (seq > this.last + 1) verdict = { accept: true, gap: { from: this.last + 1, to: seq - 1, missed: seq - this.last - 1 } };
    } else if (!this.acceptedOnConn && this.looksLikeRestart(seq, ts)) {
      const restart: SeqRestart = { cause: 'reconnect', from: this.last, to: seq };
      verdict = seq > 1 ? { accept: true, restart, gap: { from: 1, to: seq - 1, missed: seq - 1 } } : { accept: true, restart };
    } else {
      return { accept: false, reason: 'duplicate' };
    }
    if (verdict.restart) this.seq1Ts = undefined;
    this.take(seq, ts);
    return verdict;
  }

  private take(seq: number, ts: string): void {
    this.acceptedOnConn = true;
    this.lastTs = ts;
    if (!Number.isSafeInteger(seq)) {
      // seq + 1 is seq itself up there: no sequence can be followed from it. The next frame
      // anchors a new one, and a resume keeps asking after the last seq we could follow.
      this.anchored = false;
      return;
    }
    this.anchored = true;
    this.last = seq;
    if (seq === 1) this.seq1Ts = ts;
  }

  private looksLikeRestart(seq: number, ts: string): boolean {
    if (seq === 1 && this.seq1Ts !== undefined && ts !== this.seq1Ts) return true;
    const a = Date.parse(ts);
    const b = Date.parse(this.lastTs ?? '');
    if (Number.isFinite(a) && Number.isFinite(b)) return a > b;
    return seq === 1 && ts !== this.seq1Ts;
  }
}
