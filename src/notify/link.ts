/**
 * The console's notifications (SPEC §9.4): derived after the fact from the ledger's appended
 * lines and the paced loop's typed events, on a later turn of the event loop, and never awaited by anything: an action (the
 * kill-switch above all) is on the wire before a notification is even composed.
 *
 * Who speaks: only a console that writes the ledger. Its own acts always; what the room
 * sees alike (overall changes, periodic status, checkpoints due, trigger raise/arm/fire)
 * only from the console holding ledger.jsonl's lock (with the room on NATS: its speaker key), so
 * two consoles never double-post.
 */
import type { Ledger } from '../audit/ledger.js';
import type { LedgerLine } from '../audit/types.js';
import { judgeLine } from '../audit/judge.js';
import { oneLine } from '../util/sanitize.js';
import type { AllowedSigner } from '../audit/sshsig.js';
import { every, type Clock } from '../core/clock.js';
import { toCriteria } from '../engine/criteria.js';
import { auditEvent, checkpointEvent, overallEvent, statusEvent, type EventContext } from './compose.js';
import type { NotifyEvent } from './events.js';
import { NotifyHub, type HubOptions, type SinkState } from './hub.js';
import { isRoomLine, LedgerEvents } from './ledgerEvents.js';
import type { DeliveryOutcome } from './queue.js';
import { setNotifyHealth, type WarroomState } from '../store/store.js';
import type { Session } from '../session/session.js';

/** notify.failed lines per sink: a sink that is down for the whole window must not flood the ledger. */
export const MAX_FAILURE_LINES = 20;
/** Longest a quitting console waits for messages still queued. */
export const STOP_WAIT_MS = 1500;

export interface NotifyLink {
  hub: NotifyHub;
  primary: boolean;
  stop(): Promise<void>;
}

export type NotifyLinkOptions = Partial<Pick<HubOptions, 'sender' | 'backoffBaseMs' | 'backoffCapMs' | 'random'>> & {
  /** Who speaks for the room, asked at each message (the room on NATS: its speaker key); default: the holder of ledger.jsonl. */
  speaks?: () => boolean;
  /** room.allowed_signers when configured: an act this console wrote without its authority is never announced as one. */
  signers?: readonly AllowedSigner[];
};

/** Starts notifying, or says why this console does not (and returns undefined). */
export function startNotifyLink(session: Session, ledger: Ledger | undefined, clock: Clock, opts: NotifyLinkOptions = {}): NotifyLink | undefined {
  const { config, actor } = session.opts;
  const { signers, ...hubOpts } = opts;
  if (!config.notify?.length) return undefined;
  const writes = !session.opts.readOnly && session.opts.mode !== 'replay';
  if (!writes || !ledger) {
    session.live.event({ kind: 'system', level: 'info', text: `notifications off in this console: ${!writes ? 'it does not write the audit trail' : 'the audit trail is unavailable'}` });
    return undefined;
  }
  const primary = ledger.primary;
  const speaks = opts.speaks ?? (() => primary);
  const store = session.store;
  const hub = hubFor(session, clock, hubOpts, outcomeReporter(session, ledger));

  const ctx = (s: WarroomState = store.getState()): EventContext => ({
    config: s.config,
    now: clock.now(),
    actor,
    overall: s.overall.overall,
    reasons: s.overall.reasons,
    criteria: toCriteria(s.config.gates, s.gates),
    ...(s.influence.pct !== undefined ? { influencePct: s.influence.pct } : {}),
  });
  const emit = (e: NotifyEvent, only?: (s: SinkState) => boolean) => void hub.emit(e, only);

  // --- the ledger's appended lines: this console's acts, and (primary) the triggers it saw
  const derive = new LedgerEvents();
  let lines: LedgerLine[] = [];
  const drain = () => {
    const c = ctx();
    const batch = lines;
    lines = [];
    for (const line of batch) {
      if (line.type === 'notify.failed') continue;
      // Every line feeds the episode memory; a room line is posted by the lock holder only.
      const e = derive.event(line, c);
      if (!e || (isRoomLine(line) && !speaks())) continue;
      // The one judge (a console without a signing key in a signed room): a claim is not news of an act.
      const v = signers ? judgeLine(line, { signers, now: clock.now() }) : { ok: true as const };
      if (v.ok) emit(e);
      else session.live.event({ kind: 'system', level: 'warn', text: `notify: ${e.event} by ${oneLine(line.actor, 64)} not announced: it carries no authority here (${v.why}) and does not count` });
    }
  };
  const offLedger = ledger.on('line', (line) => {
    if (lines.push(line) === 1) setImmediate(drain);
  });

  // --- the paced loop's typed events: the light and checkpoints (whoever speaks for the room)
  let episode: string | undefined;
  const later = (f: () => void) => setImmediate(f);
  const offLoop = primary || opts.speaks
    ? [
        session.live.on('overall', (e) =>
          // The first evaluated light is where the window stands, not news.
          e.initial ? undefined : later(() => {
            if (e.to === 'NO-GO') episode = `${config.deployment.name}/overall/${new Date(clock.now()).toISOString()}`;
            if (speaks()) emit(overallEvent(ctx(), e.from, episode));
            if (e.from === 'NO-GO' && e.to !== 'NO-GO') episode = undefined;
          }),
        ),
        session.live.on('checkpoint', (e) => later(() => (speaks() ? emit(checkpointEvent(ctx(), { stage: e.stage, offsetMs: e.offsetMs, label: e.label, state: e.state })) : undefined))),
      ]
    : [];

  // --- the audit trail's health (own): the loop's `audit` event, once when writes start failing
  const offAudit = session.live.on('audit', (e) => {
    if (e.state === 'failing') later(() => emit(auditEvent(ctx(), { pending: e.pending, error: e.error!, file: ledger.file })));
  });

  // --- every: periodic status, per sink (primary)
  const timers = primary || opts.speaks
    ? hub.sinks.filter((s) => s.sink.every !== undefined).map((s) => every(clock, s.sink.every!, () => (speaks() ? emit(statusEvent(ctx()), (x) => x === s) : undefined)))
    : [];

  session.live.event({
    kind: 'system',
    level: 'info',
    text: `notifying ${hub.sinks.map((s) => s.label).join(', ')}${opts.speaks ? ' (room-wide messages while this console holds the room\'s speaker key)' : primary ? '' : ' (this console\'s own acts only: another console holds ledger.jsonl and speaks for the room)'}`,
  });

  return {
    hub,
    primary,
    stop: async () => {
      offLedger();
      offAudit();
      for (const off of offLoop) off();
      for (const t of timers) t();
      if (lines.length) drain();
      await hub.whenIdle(STOP_WAIT_MS);
      hub.stop();
    },
  };
}

/**
 * A delivery's outcome in the event log; a message that failed for good also as one
 * notify.failed line per message, MAX_FAILURE_LINES per sink at most.
 */
function outcomeReporter(session: Session, ledger: Ledger): (s: SinkState, o: DeliveryOutcome) => void {
  const failureLines = new Map<string, number>();
  return (s: SinkState, o: DeliveryOutcome) => {
    if (o.result === 'delivered') {
      if (o.attempts > 1) session.live.event({ kind: 'system', level: 'ok', text: `notify ${s.label}: ${o.event} delivered after ${o.attempts} attempts` });
      return;
    }
    const text = o.result === 'dropped' ? `notify ${s.label}: ${o.event} dropped (queue full)` : `notify ${s.label}: ${o.event} NOT delivered after ${o.attempts} attempt(s): ${o.error ?? 'unknown error'}`;
    session.live.event({ kind: 'system', level: o.result === 'dropped' ? 'warn' : 'error', text });
    if (o.result !== 'failed') return;
    const n = (failureLines.get(s.name) ?? 0) + 1;
    failureLines.set(s.name, n);
    try {
      if (n < MAX_FAILURE_LINES) ledger.append({ type: 'notify.failed', sink: s.label, event: o.event, error: o.error ?? 'unknown error', attempts: o.attempts, actor: session.opts.actor });
      else if (n === MAX_FAILURE_LINES) ledger.append({ type: 'note', text: `notify ${s.label}: ${n} deliveries failed; further failures of this sink are shown, not recorded`, actor: session.opts.actor });
    } catch {
      // The ledger closed as the console quits: the failure was shown, and a notification never crashes the console.
    }
  };
}

/** All sinks together, their health shown in the header (coalesced: one store write per turn however many queues changed). */
function hubFor(session: Session, clock: Clock, opts: NotifyLinkOptions, onOutcome: (s: SinkState, o: DeliveryOutcome) => void): NotifyHub {
  const store = session.store;
  let healthQueued = false;
  const hub: NotifyHub = new NotifyHub(session.opts.config, {
    clock,
    ...opts,
    onOutcome,
    // Coalesced: one store write per turn however many queues changed.
    onChange: () => {
      if (healthQueued) return;
      healthQueued = true;
      setImmediate(() => {
        healthQueued = false;
        setNotifyHealth(store, hub.health().map((h) => ({ name: h.name, failing: h.failing || (h.retrying && h.lastError !== undefined), dropped: h.dropped })));
      });
    },
  });
  setNotifyHealth(store, hub.health().map((h) => ({ name: h.name, failing: false, dropped: 0 })));
  return hub;
}
