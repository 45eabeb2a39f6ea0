/**
 * Runs one action (kill-switch, set influence) as sent → acknowledged → verified, with
 * retries under one idempotency key, and reports every step as it happens.
 *
 * Events: 'sending' (synchronously, before each attempt's request), 'sent' (request written /
 * process started), 'acknowledged' (2xx / exit 0), 'verifying', 'verified', and one final
 * 'failed'. An attempt that fails but will be retried is reported as an event of the step it
 * reached ('sending' or 'sent') carrying `error` and a "retrying in …" detail; only 'failed'
 * is terminal.
 *
 * The outcome's `step` is the last step reached (so a verify timeout is ok:false at
 * 'verifying'); it is 'failed' only when nothing could be attempted (bad template, empty argv).
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import { sleep, systemClock } from '../core/clock.js';
import type { Reading } from '../core/types.js';
import type { ActionConfig, VerifyConfig } from '../config/types.js';
import type { AttemptResult, Scrub } from './attempt.js';
import { argvAttempt } from './argv.js';
import { httpAttempt } from './http.js';
import { makeScrub, secretsFor, showDuration } from './scrub.js';
import { renderArgv, renderExpect, renderTemplate, type TemplateParams } from '../config/template.js';
import { verifyLoop } from './verify.js';

export type ActionStep = 'sending' | 'sent' | 'acknowledged' | 'verifying' | 'verified' | 'failed';

export interface StepEvent {
  step: ActionStep;
  /** Clock time, ms epoch. */
  at: number;
  attempt: number;
  detail?: string;
  error?: string;
}

export interface ActionRequest {
  name: 'kill_switch' | 'set_influence' | 'runbook';
  /** How errors name the action; default from name. */
  label?: string;
  config: ActionConfig;
  params: TemplateParams;
  idempotencyKey: string;
  /** Strings never to appear in any error or detail (Config.secrets). */
  secrets?: string[];
}

export interface ActionDeps {
  clock?: Clock;
  signal?: AbortSignal;
  onStep?: (e: StepEvent) => void;
  /** Reads the verify probe once; supplied by the caller (the console reads the configured source). */
  readVerify?: (v: VerifyConfig) => Promise<Reading>;
  /** Default 500. */
  verifyPollMs?: number;
}

export interface ActionOutcome {
  ok: boolean;
  /** Last step reached. */
  step: ActionStep;
  attempts: number;
  error?: string;
  status?: number;
  exitCode?: number;
  verifiedValue?: unknown;
  durationMs: number;
}

export function newIdempotencyKey(): string {
  return randomUUID();
}

const BACKOFF_BASE_MS = 250;
const BACKOFF_CAP_MS = 4000;
const MAX_RETRIES = 20;

/** 250 ms, 500 ms, 1 s, 2 s, 4 s, 4 s … before retry n (1-based). */
export function backoffMs(retry: number): number {
  return Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, retry - 1));
}

type Prepared = { kind: 'http'; body: unknown } | { kind: 'argv'; argv: string[] };

function prepare(config: ActionConfig, params: TemplateParams): Prepared {
  if (config.kind === 'http') {
    return { kind: 'http', body: config.body === undefined ? undefined : renderTemplate(config.body, params) };
  }
  const argv = renderArgv(config.argv ?? [], params);
  if (argv.length === 0 || !argv[0]) throw new Error('argv is empty: nothing to run');
  return { kind: 'argv', argv };
}

export async function runAction(req: ActionRequest, deps: ActionDeps = {}): Promise<ActionOutcome> {
  const clock = deps.clock ?? systemClock;
  const start = clock.now();
  const { config, params, idempotencyKey } = req;
  const scrub: Scrub = makeScrub(secretsFor(config, req.secrets ?? []));
  const label = req.label ?? (req.name === 'kill_switch' ? 'kill-switch' : 'set influence');

  // One internal controller, so aborting also cancels the request or process in flight.
  const ctl = new AbortController();
  const onOuterAbort = () => ctl.abort(deps.signal?.reason);
  if (deps.signal?.aborted) ctl.abort(deps.signal.reason);
  else deps.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const signal = ctl.signal;

  let attempt = 0;
  let reached: ActionStep | undefined;
  let status: number | undefined;
  let exitCode: number | undefined;

  const emit = (step: ActionStep, extra: { detail?: string; error?: string } = {}) => {
    if (step !== 'failed') reached = step;
    const e: StepEvent = { step, at: clock.now(), attempt, ...extra };
    try {
      deps.onStep?.(e);
    } catch {
      // A broken listener must not stop a kill-switch.
    }
  };
  const finish = (ok: boolean, extra: Partial<ActionOutcome> = {}): ActionOutcome => {
    deps.signal?.removeEventListener('abort', onOuterAbort);
    if (!ok) emit('failed', { error: extra.error });
    const out: ActionOutcome = {
      ok,
      step: reached ?? 'failed',
      attempts: attempt,
      durationMs: clock.now() - start,
      ...extra,
    };
    if (status !== undefined) out.status = status;
    if (exitCode !== undefined) out.exitCode = exitCode;
    return out;
  };

  let prepared: Prepared;
  try {
    prepared = prepare(config, params);
  } catch (e) {
    return finish(false, { error: `${label} not sent: ${scrub(e instanceof Error ? e.message : String(e))}` });
  }

  const retries = Math.min(MAX_RETRIES, Math.max(0, Math.floor(Number(config.retries) || 0)));
  const total = retries + 1;
  let ack: AttemptResult | undefined;

  while (attempt < total) {
    if (signal.aborted) return finish(false, { error: 'cancelled' });
    attempt++;
    const n = attempt;
    emit('sending', { detail: total > 1 ? `attempt ${n} of ${total}` : undefined });
    const onSent = () => {
      // A late 'finish' from an attempt already given up on must not rewrite the steps.
      if (n === attempt && !signal.aborted) emit('sent');
    };
    const r =
      prepared.kind === 'http' && config.kind === 'http'
        ? await httpAttempt(config, prepared.body, idempotencyKey, scrub, signal, onSent)
        : await argvAttempt(config as Extract<ActionConfig, { kind: 'argv' }>, (prepared as { argv: string[] }).argv, idempotencyKey, scrub, signal, onSent);
    if (r.status !== undefined) status = r.status;
    if (r.exitCode !== undefined) exitCode = r.exitCode;
    if (r.ok) {
      ack = r;
      break;
    }
    if (r.cancelled || signal.aborted) return finish(false, { error: 'cancelled' });
    if (attempt >= total) {
      const tries = total > 1 ? ` (after ${total} attempts)` : '';
      return finish(false, { error: `${label} failed${tries}: ${r.error ?? 'unknown error'}` });
    }
    const wait = backoffMs(attempt);
    emit(reached === 'sent' ? 'sent' : 'sending', {
      error: r.error,
      detail: `retrying in ${showDuration(wait)} (attempt ${attempt + 1} of ${total})`,
    });
    try {
      await sleep(clock, wait, signal);
    } catch {
      return finish(false, { error: 'cancelled' });
    }
  }

  emit('acknowledged', { detail: ack?.detail });

  const verify = config.verify;
  if (!verify) return finish(true);
  if (!deps.readVerify) {
    // Nothing to read the verify source with: stop honestly at 'acknowledged'.
    return finish(true);
  }
  let expect;
  try {
    expect = renderExpect(verify.expect, params);
  } catch (e) {
    emit('verifying');
    return finish(false, { error: `cannot verify: ${scrub(e instanceof Error ? e.message : String(e))}` });
  }
  emit('verifying', { detail: `waiting up to ${showDuration(verify.within)} for ${scrub(verify.metric ?? verify.query ?? verify.key ?? verify.source, 120)} ${expect.text}` });
  const v = await verifyLoop({
    verify,
    expect,
    read: deps.readVerify,
    clock,
    pollMs: deps.verifyPollMs ?? 500,
    signal,
    scrub,
  });
  if (!v.ok) return finish(false, { error: v.cancelled ? 'cancelled' : v.error });
  emit('verified', { detail: `${scrub(verify.metric ?? verify.query ?? verify.key ?? verify.source, 120)} = ${scrub(String(v.value), 100)}` });
  return finish(true, { verifiedValue: v.value });
}
