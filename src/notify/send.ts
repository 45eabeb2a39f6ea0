/**
 * One event to every sink that takes it, waiting (bounded) for each outcome: for commands
 * (`announce`, `report --notify`, `check --watch --notify`), not for the console, which
 * never waits for a notification.
 */
import { systemClock, type Clock } from '../core/clock.js';
import type { Config } from '../config/types.js';
import type { NotifyEvent } from './events.js';
import { NotifyHub, type HubOptions } from './hub.js';
import type { DeliveryOutcome } from './queue.js';

export interface SinkOutcome {
  /** `slack#0 https://hooks.slack.com/…` */
  sink: string;
  result: DeliveryOutcome['result'] | 'throttled' | 'pending';
  attempts: number;
  error?: string;
}

export interface SendOptions extends Partial<Pick<HubOptions, 'sender' | 'backoffBaseMs' | 'backoffCapMs' | 'random'>> {
  clock?: Clock;
  /** Longest wait for every outcome (default: each sink's timeouts and backoffs, at most 2 min). */
  timeoutMs?: number;
}

/** Exit code of a command whose notifications did not all arrive (EX_TEMPFAIL: try again later). */
export const EXIT_NOT_DELIVERED = 75;

export async function sendOnce(config: Pick<Config, 'notify' | 'secrets' | 'secretMasks'>, event: NotifyEvent, opts: SendOptions = {}): Promise<SinkOutcome[]> {
  const outcomes = new Map<string, SinkOutcome>();
  const hub = new NotifyHub(config, {
    clock: opts.clock ?? systemClock,
    ...(opts.sender ? { sender: opts.sender } : {}),
    ...(opts.backoffBaseMs !== undefined ? { backoffBaseMs: opts.backoffBaseMs } : {}),
    ...(opts.backoffCapMs !== undefined ? { backoffCapMs: opts.backoffCapMs } : {}),
    ...(opts.random ? { random: opts.random } : {}),
    onOutcome: (s, o) => outcomes.set(s.label, { sink: s.label, result: o.result, attempts: o.attempts, ...(o.error ? { error: o.error } : {}) }),
  });
  const sent = hub.emit(event);
  const worst = Math.max(0, ...sent.map(({ sink: { sink } }) => sink.timeout * (sink.retries + 1) + 2 ** Math.min(sink.retries, 6) * 1000));
  const idle = await hub.whenIdle(opts.timeoutMs ?? Math.min(120_000, worst + 1000));
  hub.stop();
  void idle;
  return sent.map(({ sink, queued }) => outcomes.get(sink.label) ?? { sink: sink.label, result: queued === 'throttled' ? 'throttled' : 'pending', attempts: 0, ...(queued === 'queued' ? { error: 'no outcome within the wait' } : {}) });
}

/** `delivered  slack#0 https://hooks.slack.com/…` lines for a command's output. */
export function formatOutcomes(outcomes: readonly SinkOutcome[]): string {
  return outcomes.map((o) => `${o.result.padEnd(9)} ${o.sink}${o.attempts > 1 ? ` (${o.attempts} attempts)` : ''}${o.error && o.result !== 'delivered' ? `: ${o.error}` : ''}`).join('\n');
}
