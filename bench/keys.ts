/**
 * Keys arriving in one read: from one write of several keys (`KK`, `jjjK`) to the kill confirm
 * on screen. Before issue 11 such a read did nothing at all, so a confirm that never shows is
 * counted (not waited for): a bounded wait per try keeps the bench short either way.
 */
import type { PtyConsole } from './pty.js';

export const CHUNKS = ['KK', 'jjjK'] as const;
const NEVER_MS = 1000;
/** Between tries: Esc closes the confirm (nothing sent) and is its own read. */
const SETTLE_MS = 250;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface ChunkTimes {
  /** ms from the write to the confirm text in the pty output. */
  ms: number[];
  tries: number;
  /** Tries whose confirm never showed within NEVER_MS. */
  never: number;
}

export const emptyChunkTimes = (): ChunkTimes => ({ ms: [], tries: 0, never: 0 });

export async function chunksToConfirm(pty: PtyConsole, confirmText: string, tries: number, into: ChunkTimes): Promise<void> {
  for (let i = 0; i < tries; i++) {
    const since = pty.mark();
    const t0 = performance.now();
    pty.write(CHUNKS[i % CHUNKS.length]!);
    into.tries++;
    try {
      into.ms.push((await pty.waitFor(confirmText, since, NEVER_MS)) - t0);
    } catch {
      into.never++;
    }
    pty.write('\x1b');
    await sleep(SETTLE_MS);
  }
}
