/**
 * Executes what a confirmed flow asks for: the request goes out first (nothing awaited
 * before the send), then the ledger line, the feed publish and the screen follow. Every step
 * and outcome is recorded; failures stay on screen until dismissed.
 *
 * "First" is enforced, not hoped for: a store write renders the whole screen synchronously
 * (ink's legacy root; tens of ms on a full screen), and the request only reaches the socket
 * on a later turn of the event loop. So every store write, ledger line and event of an action
 * is held until the request is written (its `sent` step, or any later step), at most
 * SEND_FIRST_MAX_MS, and then replayed in order.
 */
import type { Ledger } from '../audit/ledger.js';
import type { ActionEvent } from '../audit/types.js';
import { newIdempotencyKey, runAction, type StepEvent } from '../actions/executor.js';
import type { Clock } from '../core/clock.js';
import type { Publishable } from '../feed/protocol.js';
import type { ActionConfig, RunbookConfig, VerifyConfig } from '../config/types.js';
import type { Reading } from '../core/types.js';
import type { Act, ActTarget } from '../flows/permissions.js';
import { refuseAct } from './acts.js';
import { argvTextRefusal, paramsRefusal, paramsText } from '../flows/runbookParams.js';
import { runbookLabel } from '../viewmodel/runbookOptions.js';
import { actionInFlight, setNotice, type ActionName } from '../store/store.js';
import type { Session } from '../session/session.js';
import { loadGot } from '../util/lazyGot.js';
import { Acts } from './acts.js';

export interface KillRequest {
  reason: string;
  from?: number;
  /** The gate whose rollback trigger fired it (auto-rollback). */
  trigger?: string;
  /**
   * The room's key for this trigger episode: every console watching the trigger sends the
   * same one, so the control API applies one kill.
   */
  idempotencyKey?: string;
}
export interface InfluenceRequest {
  from?: number;
  to: number;
  reason?: string;
  advance: boolean;
}
/** SPEC §9.5: one runbook with the params its prompts checked; `gate` when run as that gate's remedy. */
export interface RunbookRequest {
  id: string;
  params: Record<string, string | number>;
  reason?: string;
  gate?: string;
}

/** Longest the screen waits for a request to be written (a connect that hangs must not freeze it). */
export const SEND_FIRST_MAX_MS = 50;

/** `to` is the target influence of kill-switch and influence; a runbook has its own params instead. */
type ActParams = { from?: number; to?: number; reason: string; trigger?: string; runbook?: { config: RunbookConfig; params: Record<string, string | number>; gate?: string } };

export class ActionRunner {
  /** Action lines are acts like any other: written through Acts.record. */
  private readonly acts: Acts;
  private seq = 0;
  /** Actions without an outcome yet, for an abandon on quit. */
  private readonly running = new Map<string, { name: ActionName; key: string; p: ActParams }>();

  constructor(
    private readonly session: Session,
    private readonly ledger: Ledger | undefined,
    private readonly clock: Clock,
  ) {
    this.acts = new Acts(session, ledger, clock);
    // Loads in the background (never before the first frame: the load is asynchronous), so
    // the first kill-switch sends without waiting for it.
    void loadGot().catch(() => {});
  }

  private get store() {
    return this.session.store;
  }
  private get actor() {
    return this.session.opts.actor;
  }
  private get role() {
    return this.store.getState().role;
  }

  inFlight(): boolean {
    return actionInFlight(this.store.getState());
  }

  killInFlight(): boolean {
    return [...this.running.values()].some((r) => r.name === 'kill_switch');
  }

  /** Quitting before an outcome: each action in flight gets an `abandoned` line, never silence. */
  abandonAll(why: string): number {
    for (const [id, r] of this.running) {
      this.record(r.name, 'abandoned', r.key, r.p, why);
      this.running.delete(id);
    }
    return this.running.size;
  }

  /** Rights are checked here, at the act, whatever asked for it (key, trigger, timer). */
  private refused(act: Act, what: string, target?: ActTarget): boolean {
    return refuseAct(this.session, act, what, target);
  }

  /**
   * Fires the kill-switch. Never refused for want of an audit trail: safety first, recorded in memory and on screen.
   * `afterSend` (e.g. closing the confirm prompt) runs once the request is on the wire, before the held screen updates.
   */
  kill(req: KillRequest, afterSend?: () => void): boolean {
    if (this.refused('kill', 'kill-switch')) {
      afterSend?.();
      return false;
    }
    const cfg = this.session.opts.config.actions.killSwitch;
    if (!cfg) {
      afterSend?.();
      setNotice(this.store, 'no kill_switch action is configured: use your runbook', 'error');
      this.session.live.event({ kind: 'action', level: 'error', text: 'kill-switch requested but no kill_switch action is configured' });
      return false;
    }
    this.execute('kill_switch', cfg, { to: 0, reason: req.reason, ...(req.from !== undefined ? { from: req.from } : {}), ...(req.trigger ? { trigger: req.trigger } : {}) }, afterSend, req.idempotencyKey);
    return true;
  }

  setInfluence(req: InfluenceRequest): boolean {
    if (this.refused('influence', 'set influence')) return false;
    const cfg = this.session.opts.config.actions.setInfluence;
    if (!cfg) {
      setNotice(this.store, 'no set_influence action is configured', 'error');
      return false;
    }
    if (!this.requireLedger('set influence')) return false;
    const reason = req.reason ?? (req.advance ? `advance to ${req.to}%` : `set influence ${req.to}%`);
    this.execute('set_influence', cfg, { to: req.to, reason, ...(req.from !== undefined ? { from: req.from } : {}) });
    return true;
  }

  /**
   * Runs a runbook (SPEC §9.5) through the same pipeline: rights (its own roles) and params are
   * checked here, at the act, whatever opened it. It runs beside anything in flight, so the
   * kill-switch is never queued behind it.
   */
  runbook(req: RunbookRequest): boolean {
    const rb = this.session.opts.config.actions.runbooks?.[req.id];
    if (!rb) {
      setNotice(this.store, `runbook ${req.id} is not configured`, 'error');
      return false;
    }
    const label = runbookLabel(rb);
    if (this.refused('runbook', label, { label, ...(rb.roles ? { roles: rb.roles } : {}) })) return false;
    const bad = paramsRefusal(rb.params, req.params) ?? (rb.reasonInArgv && req.reason !== undefined ? argvTextRefusal('the reason', req.reason) : undefined);
    if (bad) {
      setNotice(this.store, `${label} refused: ${bad}`, 'warn');
      return false;
    }
    if (rb.usesReason && !req.reason) {
      setNotice(this.store, `${label} refused: it needs a reason`, 'warn');
      return false;
    }
    if (!this.requireLedger(label)) return false;
    const params = { ...req.params };
    const why = req.reason ?? (req.gate ? `remedy for ${req.gate}` : `runbook ${rb.id}`);
    this.execute('runbook', rb.action, { reason: why, runbook: { config: rb, params, ...(req.gate ? { gate: req.gate } : {}) } });
    return true;
  }

  private requireLedger(what: string): boolean {
    if (this.ledger) return true;
    setNotice(this.store, `${what} refused: the audit trail is unavailable`, 'error');
    return false;
  }

  private execute(name: ActionName, cfg: ActionConfig, p: ActParams, afterSend?: () => void, roomKey?: string): void {
    const key = roomKey ?? newIdempotencyKey();
    const id = `${name}-${++this.seq}`;
    const startedAt = this.clock.now();
    let held: (() => void)[] | undefined = afterSend ? [afterSend] : [];
    const later = (fn: () => void) => (held ? held.push(fn) : fn());
    const release = () => {
      if (!held) return;
      const queue = held;
      held = undefined;
      this.clock.clearTimeout(holdTimer);
      for (const fn of queue) fn();
    };
    const holdTimer = this.clock.setTimeout(release, SEND_FIRST_MAX_MS);
    this.running.set(id, { name, key, p });
    // The request leaves inside runAction's first synchronous step; everything below waits for it.
    const outcome = runAction(
      {
        name,
        config: cfg,
        params: { actor: this.actor, reason: p.reason, ...(p.to !== undefined ? { pct: p.to } : {}), ...(p.runbook ? { vars: p.runbook.params } : {}) },
        idempotencyKey: key,
        secrets: this.session.opts.config.secrets,
        ...(p.runbook ? { label: `runbook ${p.runbook.config.id}` } : {}),
      },
      {
        clock: this.clock,
        onStep: (e) => {
          later(() => this.onStep(id, name, key, p, e));
          // Written (or already answered, or failed): nothing left to protect.
          if (e.step !== 'sending' || e.error) release();
        },
        readVerify: (v) => this.readVerify(v),
      },
    );
    later(() => this.afterStart(id, name, key, p, startedAt, outcome));
  }

  private afterStart(
    id: string,
    name: ActionName,
    key: string,
    p: ActParams,
    startedAt: number,
    outcome: ReturnType<typeof runAction>,
  ): void {
    const label = actionLabel(name, p);
    this.session.upsertAction(id, (a) => ({
      id,
      name,
      label,
      ...(p.to !== undefined ? { to: p.to } : {}),
      ...(p.runbook ? { runbook: p.runbook.config.id } : {}),
      state: 'running',
      step: a?.step ?? 'sending',
      steps: a?.steps ?? [],
      startedAt,
      idempotencyKey: key,
      ...(p.from !== undefined ? { from: p.from } : {}),
      ...(p.trigger ? { trigger: p.trigger } : {}),
    }));
    this.record(name, 'requested', key, p);
    this.session.live.event({ kind: 'action', level: 'warn', text: `${label} requested by ${this.actor}: ${p.reason}` });
    void outcome.then((o) => {
      // Abandoned on quit: its line is written; what comes after is not this console's to record.
      if (!this.running.delete(id)) return;
      const end = this.clock.now();
      if (o.ok) {
        this.record(name, o.step === 'verified' ? 'verified' : 'acknowledged', key, p);
        this.session.live.event({ kind: 'action', level: 'ok', text: `${label} ${o.step === 'verified' ? 'verified' : 'acknowledged (no verify configured)'} in ${((end - startedAt) / 1000).toFixed(1)}s` });
        if ((name === 'set_influence' || name === 'kill_switch') && p.to !== undefined) {
          this.session.publish({ type: 'influence', ts: new Date(end).toISOString(), pct: p.to, actor: this.actor, reason: p.reason });
        }
      } else {
        this.record(name, 'failed', key, p, o.error);
        this.session.live.event({ kind: 'action', level: 'error', text: `${label} FAILED at ${o.step}: ${o.error ?? 'unknown error'}` });
        setNotice(this.store, `${label} FAILED: ${o.error ?? ''}`, 'error');
      }
      this.session.upsertAction(id, (a) => ({
        ...a!,
        state: o.ok ? 'done' : 'failed',
        step: o.ok ? o.step : `failed at ${o.step}`,
        endedAt: end,
        ...(o.error ? { error: o.error } : {}),
      }));
      this.session.refresh();
    });
  }

  private onStep(id: string, name: ActionName, key: string, p: ActParams, e: StepEvent): void {
    this.session.upsertAction(id, (a) => {
      const base = a ?? { id, name, label: actionLabel(name, p), ...(p.to !== undefined ? { to: p.to } : {}), state: 'running' as const, step: e.step, steps: [], startedAt: e.at, idempotencyKey: key };
      const step = { step: e.step, at: e.at, ...(e.error ? { error: e.error } : {}), ...(e.detail ? { detail: e.detail } : {}) };
      return { ...base, step: e.step, steps: [...base.steps, step].slice(-12) };
    });
    if (e.error && e.step !== 'failed') {
      // An attempt that failed and will be retried: each attempt is part of the record.
      this.record(name, 'sent', key, p, e.error, e.attempt);
    }
  }

  private record(name: ActionName, phase: ActionEvent['phase'], key: string, p: ActParams, error?: string, attempt?: number): void {
    if (name === 'kill_switch' && this.session.inRoom()) this.announceKill(phase, key, error);
    if (!this.ledger) return;
    const ev: ActionEvent = { type: 'action', action: name, phase, reason: p.reason, idempotency_key: key };
    if (p.to !== undefined) ev.to_pct = p.to;
    if (p.runbook) {
      ev.runbook = p.runbook.config.id;
      ev.params = { ...p.runbook.params };
      if (p.runbook.gate) ev.gate = p.runbook.gate;
    }
    if (p.from !== undefined) ev.from_pct = p.from;
    if (p.trigger) ev.trigger = p.trigger;
    if (error) ev.error = error;
    if (attempt !== undefined) ev.attempt = attempt;
    // A runbook's outcome goes to the room with its line, through the one act path.
    const outcome = p.runbook ? RUNBOOK_OUTCOME[phase] : undefined;
    this.acts.record({
      what: 'action',
      line: { ...ev, actor: this.actor, ...(this.role ? { role: this.role } : {}) },
      ...(outcome ? { publish: () => this.runbookFrame(p, outcome) } : {}),
    });
  }

  /** Each phase of a kill goes to the room on NATS too: a console that stood down follows its outcome. */
  private announceKill(phase: ActionEvent['phase'], key: string, error?: string): void {
    const text = `KILL-SWITCH ${phase} (by ${this.actor})${error ? `: ${error}` : ''}`;
    this.session.publish({ type: 'event', ts: new Date(this.clock.now()).toISOString(), text, actor: this.actor, kill: { key, phase, ...(error ? { error } : {}) } });
  }

  /** The room sees a runbook's outcome as a feed event, like every act of this console. */
  private runbookFrame(p: ActParams, outcome: string): Publishable {
    const rb = p.runbook!;
    const params = Object.keys(rb.params).length ? ` (${paramsText(rb.params)})` : '';
    const gate = rb.gate ? ` as the remedy for ${rb.gate}` : '';
    return { type: 'event', ts: new Date(this.clock.now()).toISOString(), text: `runbook ${rb.config.id}${params}${gate} ${outcome} (by ${this.actor})`, actor: this.actor };
  }

  private async readVerify(v: VerifyConfig): Promise<Reading> {
    const probe = { id: 'verify', ...(v.metric ? { metric: v.metric } : {}), ...(v.query ? { query: v.query } : {}), ...(v.key ? { key: v.key } : {}) };
    const res = await this.session.readVerify(v.source, probe);
    if (!res) return { value: null, observedAt: this.clock.now(), error: `verify source ${v.source} is not configured` };
    return res.readings.verify ?? { value: null, observedAt: this.clock.now(), error: res.error ?? 'no reading' };
  }
}

/** The outcome phases of a runbook the room is told, as its feed event says them. */
const RUNBOOK_OUTCOME: Partial<Record<ActionEvent['phase'], string>> = { verified: 'verified', acknowledged: 'acknowledged', failed: 'FAILED' };

/** What the actions panel and the event log call an action. */
function actionLabel(name: ActionName, p: ActParams): string {
  if (p.runbook) {
    const params = Object.keys(p.runbook.params).length ? ` (${paramsText(p.runbook.params)})` : '';
    return `RUNBOOK ${p.runbook.config.title}${params}`;
  }
  return name === 'kill_switch' ? `KILL-SWITCH ${p.from ?? '?'}% → 0%` : `influence ${p.from ?? '?'}% → ${p.to ?? '?'}%`;
}
