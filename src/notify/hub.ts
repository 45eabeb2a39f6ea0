/**
 * Every configured sink with its own queue: an event goes to each sink that takes it, shaped
 * for that sink. Sinks never wait for each other: a hanging Teams does not hold up Slack.
 * Events are redacted (the config's environment values) before any sink shapes them.
 */
import type { Clock } from '../core/clock.js';
import type { Config, NotifySinkConfig } from '../config/types.js';
import { makeRedactor, redactDeep } from '../util/redactor.js';
import { httpSender } from './deliver.js';
import { dedupKey, sinkLabel, sinkName, wants, type NotifyEvent } from './events.js';
import { requestFor } from './payloads/index.js';
import { SinkQueue, type DeliveryOutcome, type QueueStats, type Sender } from './queue.js';

export interface SinkState {
  sink: NotifySinkConfig;
  /** `slack#0` */
  name: string;
  /** `slack#0 https://hooks.slack.com/…` */
  label: string;
  queue: SinkQueue;
}

export interface SinkHealth extends QueueStats {
  name: string;
  label: string;
}

export interface HubOptions {
  clock: Clock;
  /** Per sink; the real HTTP sender by default. */
  sender?: (sink: NotifySinkConfig) => Sender;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  random?: () => number;
  onOutcome?: (sink: SinkState, o: DeliveryOutcome) => void;
  onChange?: () => void;
}

export class NotifyHub {
  readonly sinks: SinkState[];
  private readonly redact: (s: string) => string;

  constructor(config: Pick<Config, 'notify' | 'secrets' | 'secretMasks'>, opts: HubOptions) {
    const r = makeRedactor(config);
    this.redact = r;
    const real = httpSender(r);
    this.sinks = (config.notify ?? []).map((sink) => {
      const state: Partial<SinkState> = { sink, name: sinkName(sink), label: sinkLabel(sink) };
      state.queue = new SinkQueue({
        clock: opts.clock,
        send: opts.sender ? opts.sender(sink) : real,
        max: sink.queue,
        retries: sink.retries,
        throttle: sink.throttle,
        timeout: sink.timeout,
        ...(opts.backoffBaseMs !== undefined ? { backoffBaseMs: opts.backoffBaseMs } : {}),
        ...(opts.backoffCapMs !== undefined ? { backoffCapMs: opts.backoffCapMs } : {}),
        ...(opts.random ? { random: opts.random } : {}),
        onOutcome: (o) => opts.onOutcome?.(state as SinkState, { ...o, ...(o.error ? { error: r(o.error) } : {}) }),
        ...(opts.onChange ? { onChange: opts.onChange } : {}),
      });
      return state as SinkState;
    });
  }

  /** Sinks that would send something for this event. */
  targets(e: NotifyEvent, only?: (s: SinkState) => boolean): SinkState[] {
    return this.sinks.filter((s) => wants(s.sink, e.event) && (!only || only(s)) && requestFor(s.sink, e) !== undefined);
  }

  /** Queues the event on every sink that takes it; returns those sinks and what each queue said. */
  emit(e: NotifyEvent, only?: (s: SinkState) => boolean): { sink: SinkState; queued: 'queued' | 'throttled' | 'stopped' }[] {
    const safe = redactDeep(e, this.redact);
    const out: { sink: SinkState; queued: 'queued' | 'throttled' | 'stopped' }[] = [];
    for (const s of this.sinks) {
      if (!wants(s.sink, e.event) || (only && !only(s))) continue;
      const request = requestFor(s.sink, safe);
      if (!request) continue;
      out.push({ sink: s, queued: s.queue.enqueue({ event: e.event, dedup: dedupKey(safe), request }) });
    }
    return out;
  }

  health(): SinkHealth[] {
    return this.sinks.map((s) => ({ name: s.name, label: s.label, ...s.queue.stats() }));
  }

  /** True when every queue emptied within `maxMs`. */
  async whenIdle(maxMs: number): Promise<boolean> {
    const r = await Promise.all(this.sinks.map((s) => s.queue.whenIdle(maxMs)));
    return r.every(Boolean);
  }

  stop(): void {
    for (const s of this.sinks) s.queue.stop();
  }
}
