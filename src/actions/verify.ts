/**
 * "verified" means the verify source shows the expected value within `within`. Anything
 * else (an error, no value, a value of the wrong kind, a read that hangs) is "not yet", and
 * at the deadline the action fails loudly with what was last seen.
 */
import type { Clock } from '../core/clock.js';
import { sleep } from '../core/clock.js';
import type { Reading, Value } from '../core/types.js';
import type { VerifyConfig } from '../config/types.js';
import { compare, type Threshold } from '../config/threshold.js';
import type { Scrub } from './attempt.js';
import { showDuration } from './scrub.js';

export type VerifyResult =
  | { ok: true; value: Value }
  | { ok: false; cancelled?: boolean; error: string };

export function verifyLabel(v: VerifyConfig): string {
  return v.metric ?? v.query ?? v.key ?? v.source;
}

function show(v: Value): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

const HUNG = Symbol('hung');

/** Resolves with the reading, or HUNG once `ms` of clock time pass or the signal aborts. */
function readBounded(
  read: () => Promise<Reading>,
  clock: Clock,
  ms: number,
  signal: AbortSignal,
): Promise<Reading | typeof HUNG> {
  return new Promise((resolve) => {
    let h: ReturnType<Clock['setTimeout']> | undefined;
    const settle = (r: Reading | typeof HUNG) => {
      clock.clearTimeout(h);
      signal.removeEventListener('abort', onAbort);
      resolve(r);
    };
    const onAbort = () => settle(HUNG);
    h = clock.setTimeout(() => settle(HUNG), Math.max(0, ms));
    signal.addEventListener('abort', onAbort, { once: true });
    let p: Promise<Reading>;
    try {
      p = Promise.resolve(read());
    } catch (e) {
      p = Promise.reject(e);
    }
    p.then(settle, (e: unknown) =>
      settle({ value: null, observedAt: clock.now(), error: e instanceof Error ? e.message : String(e) }),
    );
  });
}

export async function verifyLoop(opts: {
  verify: VerifyConfig;
  expect: Threshold;
  read: (v: VerifyConfig) => Promise<Reading>;
  clock: Clock;
  pollMs: number;
  signal: AbortSignal;
  scrub: Scrub;
}): Promise<VerifyResult> {
  const { verify, expect, read, clock, signal, scrub } = opts;
  const pollMs = Math.max(1, opts.pollMs);
  const label = scrub(verifyLabel(verify), 120);
  const deadline = clock.now() + verify.within;
  let last = 'no reading arrived';

  for (;;) {
    if (signal.aborted) return { ok: false, cancelled: true, error: 'cancelled' };
    const remaining = deadline - clock.now();
    const r = await readBounded(() => read(verify), clock, Math.max(remaining, pollMs), signal);
    if (signal.aborted) return { ok: false, cancelled: true, error: 'cancelled' };

    if (r === HUNG) {
      last = `${label}: the read did not answer`;
    } else if (r.error !== undefined || r.value === null) {
      last = `${label} could not be read: ${scrub(r.error ?? 'no value', 200)}`;
    } else {
      const c = compare(expect, r.value);
      if (c.ok && c.holds) return { ok: true, value: r.value };
      last = c.ok ? `${label} = ${scrub(show(r.value), 100)}` : `${label} = ${scrub(show(r.value), 100)}: ${scrub(c.error, 200)}`;
    }

    const left = deadline - clock.now();
    if (left <= 0) {
      return { ok: false, error: `not verified within ${showDuration(verify.within)}: ${last} (expected ${expect.text})` };
    }
    try {
      await sleep(clock, Math.min(pollMs, left), signal);
    } catch {
      return { ok: false, cancelled: true, error: 'cancelled' };
    }
  }
}
