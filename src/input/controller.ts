/**
 * Keys → flows → effects → actions, plus what the console must do on its own: ring the bell
 * when a checkpoint falls due, acknowledge checkpoints. Main-screen keys are dispatched from
 * the keymap (dispatch.ts), prompt keys read by the flows (promptKeys.ts); the auto-rollback
 * policy is acts/autoRollback.ts. The React layer only forwards keys here.
 */
import type { Ledger } from '../audit/ledger.js';
import { actRefusal } from '../flows/permissions.js';
import type { Clock } from '../core/clock.js';
import { flowKey, openFlow } from '../flows/reducer.js';
import { openRemedy } from '../flows/runbookFlow.js';
import type { FlowContext, FlowEffect, FlowResult } from '../flows/types.js';
import { ackCheckpoint, checkpointLabel, isFinalCheckpoint } from '../ramp/timeline.js';
import { dismiss, requestExit, ringBell, setFlow, setNotice, waitToQuit, type WarroomState } from '../store/store.js';
import type { ActionRunner } from '../acts/actionRunner.js';
import { AutoRollback } from '../acts/autoRollback.js';
import { Acts } from '../acts/acts.js';
import type { ApprovalContext } from '../audit/approvals.js';
import { OverrideDesk } from '../acts/overrides.js';
import { filterKey, toggleHelp } from './navigation.js';
import { dispatch, type KeyTarget } from './dispatch.js';
import { bindingFor, type Action } from './keymap.js';
import { actorOf, flowContextOf } from '../viewmodel/flowContext.js';
import { splitKeys, type InkKey } from './keySplit.js';
import { isPromptKey } from './promptKeys.js';
import type { Session } from '../session/session.js';
import { KillFollower } from '../acts/killFollow.js';
import type { RoomKill } from '../acts/roomKillClaim.js';
import { ManualKill, type KillByHand } from '../acts/manualKill.js';
import type { CheckpointEvent } from '../runtime/loopEvents.js';

export type { InkKey } from './keySplit.js';

export class Controller {
  /** The flow after a kill confirm, until the request is on the wire and the store catches up. */
  private pendingFlow: WarroomState['flow'] | undefined;
  private unsubscribe: (() => void)[] = [];
  private readonly acts: Acts;
  private desk: OverrideDesk | undefined;
  /** Wall time of the read being handled, so its keys share one arrival time. */
  private readAt: number | undefined;

  constructor(
    private readonly session: Session,
    private readonly runner: ActionRunner,
    private readonly ledger: Ledger | undefined,
    private readonly clock: Clock,
    private readonly wallNow: () => number = () => Date.now(),
  ) {
    this.acts = new Acts(session, ledger, clock);
    this.autoRollback = new AutoRollback(session, runner, this.acts, clock);
    this.unsubscribe.push(() => this.autoRollback.dispose());
    this.unsubscribe.push(session.live.on('checkpoint', (e) => e.state === 'due' && this.checkpointDue(e)));
    this.unsubscribe.push(session.store.subscribe((s) => this.watchQuit(s)));
    // Checkpoint acks come from the ledger through the judge (session/ledgerLink.ts).
  }

  private readonly autoRollback: AutoRollback;

  /** The room on NATS: one kill per room (a kill by hand and the auto-rollback claim before they send). */
  useRoomKill(room: RoomKill): void {
    const follower = new KillFollower(this.session, this.clock);
    this.manualKill = new ManualKill(this.session, this.runner, this.acts, this.clock, room, follower);
    this.unsubscribe.push(() => {
      follower.dispose();
      this.manualKill?.dispose();
    });
    this.autoRollback.useRoomKill(room.claim, follower);
  }
  private manualKill: ManualKill | undefined;

  private killByHand(e: KillByHand, after?: () => void): void {
    if (this.manualKill) return this.manualKill.kill(e, after);
    this.runner.kill({ reason: e.reason, ...(e.from !== undefined ? { from: e.from } : {}) }, after);
  }

  dispose(): void {
    for (const u of this.unsubscribe) u();
    this.desk?.dispose();
  }

  /**
   * SPEC §9.5: with decision.override or waiver.approvals configured, the room's requests and
   * approvals are followed here (needs the ledger: approvals are ledger lines).
   */
  useOverrides(ctx: ApprovalContext): void {
    // The palette's invalidation targets are judged by the same room keys.
    this.acts.signers = ctx.signers;
    const cfg = this.session.opts.config;
    if (!this.ledger || (!cfg.decision.override && !cfg.waiver?.approvals)) return;
    this.desk = new OverrideDesk(this.session, this.ledger, this.clock, ctx, ({ request, tally }) => this.acts.completeRequest(request, tally));
  }

  private approve(id: string): void {
    const req = this.desk?.request(id);
    const rule = req ? this.desk!.ruleFor(req.kind) : undefined;
    if (!req || !rule) return void setNotice(this.store, `approval refused: request ${id.slice(0, 8)} is not known here`, 'warn');
    // The state at the act, not at the key: it may have expired while the confirm was open.
    this.acts.approve(req, rule, this.desk!.tally(req)?.state === 'expired');
  }

  private get store() {
    return this.session.store;
  }

  flowContext(): FlowContext {
    const ctx = flowContextOf(this.store.getState(), this.clock.now(), this.readAt ?? this.wallNow());
    const targets = this.acts.invalidatable();
    if (targets.length) ctx.invalidatable = targets;
    return ctx;
  }

  /**
   * One read from the terminal. Returns true when the console should quit. A read can hold
   * several keys (`KK`, `jjj`, Ctrl+K Ctrl+K coalesced while the loop was busy, a paste,
   * tmux send-keys), so every read is split into keys. All keys of one read count as arriving
   * at one instant: the confirm guard then measures arrival, not how long the keys before took
   * to handle, so type-ahead in a read never confirms however long the read is.
   */
  input(chunk: string): boolean {
    this.readAt = this.wallNow();
    try {
      for (const k of splitKeys(chunk)) if (this.key(k.input, k.key)) return true;
      return false;
    } finally {
      this.readAt = undefined;
    }
  }

  /** One key, already split (`input` is one character, or empty for a named key). */
  key(input: string, key: InkKey): boolean {
    const s = this.store.getState();
    const ctx = () => this.flowContext();
    const flow = this.pendingFlow !== undefined ? this.pendingFlow : s.flow;
    // Ctrl+C inside a prompt cancels it like Esc (nothing sent); on the main screen it quits.
    if (flow && isPromptKey('interrupt', { ...key, input })) return this.apply(flowKey(flow, { input: '', escape: true }, ctx()));
    if (flow) return this.apply(flowKey(flow, { ...key, input }, ctx()));
    const anywhere = bindingFor(input, key, ['anywhere']);
    if (anywhere) return this.keyAction(anywhere.action);
    if (s.ui.help) {
      toggleHelp(this.store, false);
      return false;
    }
    if (s.ui.filtering) {
      filterKey(this.store, input, key);
      return false;
    }
    const hit = bindingFor(input, key, ['main']);
    return hit ? this.keyAction(hit.action) : false;
  }

  /** What a keymap action does on the live console (dispatch.ts); true when the console should quit. */
  private keyAction(action: Action): boolean {
    return dispatch(action, this.keyTarget());
  }

  private keyTarget(): KeyTarget {
    return {
      store: this.store,
      open: (kind) => this.apply(openFlow(kind, this.flowContext())),
      openRemedy: () => this.apply(openRemedy(this.flowContext())),
      acknowledge: () => this.acknowledge(),
      refresh: () => this.session.refresh(),
      dismiss: () => this.dismiss(),
      refuse: (why) => setNotice(this.store, why),
    };
  }

  private dismiss(): void {
    dismiss(this.store);
  }

  private apply(r: FlowResult): boolean {
    if (r.effect?.type === 'kill') {
      // Send first: closing the prompt now would render the whole screen before the request leaves.
      const e = r.effect;
      this.pendingFlow = r.flow;
      this.session.opts.recorder?.('key', e);
      this.killByHand(e, () => {
        this.pendingFlow = undefined;
        setFlow(this.store, r.flow);
      });
      return false;
    }
    setFlow(this.store, r.flow);
    return r.effect ? this.effect(r.effect) : false;
  }

  private effect(e: FlowEffect): boolean {
    this.session.opts.recorder?.(e.type === 'decision' ? 'decision' : 'key', e);
    switch (e.type) {
      case 'kill':
        this.killByHand(e);
        break;
      case 'setInfluence':
        this.runner.setInfluence(e);
        break;
      case 'decision':
        this.acts.decision(e);
        break;
      case 'signoff':
        this.acts.signoff(e.role, e.gate);
        break;
      case 'waive':
        this.acts.waive(e);
        break;
      case 'runbook':
        this.runner.runbook(e);
        break;
      case 'invalidate':
        this.acts.invalidate(e.target, e.reason);
        break;
      case 'command':
        // A palette entry that is a main-screen key: the same action as the key.
        return this.keyAction(e.command);
      case 'overrideRequest':
        this.acts.requestOverride(e.justification);
        break;
      case 'approve':
        this.approve(e.request);
        break;
      case 'refused':
        setNotice(this.store, e.message, 'warn');
        this.session.live.event({ kind: 'action', level: 'warn', text: `refused: ${e.message}` });
        break;
      case 'quit':
        return this.quit();
    }
    return false;
  }

  /**
   * Quit, or wait: with a kill-switch in flight the console stays until it has an outcome
   * (its own retries bound the wait); a second confirmed quit abandons it, recorded.
   */
  private quit(): boolean {
    if (!this.runner.killInFlight()) return true;
    const s = this.store.getState();
    if (!s.audit.quitWaiting) {
      waitToQuit(this.store);
      setNotice(this.store, 'quitting once the kill-switch has an outcome; q then y again abandons it', 'warn', { sticky: true });
      this.session.live.event({ kind: 'system', level: 'warn', text: `quit requested by ${s.actor}: waiting for the kill-switch outcome` });
      return false;
    }
    this.runner.abandonAll(`abandoned: ${s.actor} quit before the outcome`);
    this.session.live.event({ kind: 'action', level: 'error', text: `kill-switch ABANDONED by ${s.actor} (quit before its outcome)` });
    return true;
  }

  /** SIGTERM / SIGHUP: leave at once, or after the kill in flight has its outcome. */
  signal(name: string): void {
    if (this.runner.killInFlight()) {
      waitToQuit(this.store);
      this.session.live.event({ kind: 'system', level: 'warn', text: `${name}: exiting once the kill-switch has an outcome` });
    } else requestExit(this.store);
  }

  private watchQuit(s: WarroomState): void {
    if (s.audit.quitWaiting && !s.audit.exitNow && !this.runner.killInFlight()) {
      queueMicrotask(() => requestExit(this.store));
    }
  }

  /** `a`: cancel an armed auto-rollback first (it is the urgent one), else acknowledge the due checkpoint. */
  acknowledge(): void {
    const s = this.store.getState();
    // Read-only consoles never get here: the key's disabled reason says so (dispatch.ts).
    if (s.banner.some((t) => t.phase === 'armed')) {
      const why = actRefusal('cancelTrigger', actorOf(s));
      if (why) return setNotice(this.store, `armed by the room: ${why}`, 'warn');
      this.session.opts.recorder?.('key', { type: 'cancelAutoRollback' });
      this.session.live.cancelArmedTrigger();
      return;
    }
    const view = s.ramp;
    const ack = view ? ackCheckpoint(view, s.actor, this.clock.now()) : undefined;
    if (!view || !ack) return setNotice(this.store, 'nothing to acknowledge: no checkpoint is due and no auto-rollback is armed', 'info');
    const cp = view.checkpoints.find((c) => c.stage === ack.stage && c.offsetMs === ack.offsetMs);
    const label = cp?.label ?? '';
    this.session.opts.recorder?.('key', { type: 'checkpointAck', stage: ack.stage, offsetMs: ack.offsetMs });
    const text = `checkpoint ${checkpointLabel(ack.offsetMs)} "${label}" acknowledged by ${s.actor}`;
    const line = this.acts.record({
      right: 'acknowledge',
      what: 'checkpoint ack',
      line: { type: 'checkpoint.ack', stage: ack.stage, offset_ms: ack.offsetMs, label, actor: s.actor, ...(s.role ? { role: s.role } : {}) },
      publish: () => ({ type: 'event', ts: new Date(this.clock.now()).toISOString(), text, actor: s.actor }),
      event: { kind: 'action', level: 'ok', text },
      notice: { text, level: 'ok' },
    });
    if (!line) return;
    // The continuation checkpoint (the stage's last) leads straight into the decision prompt.
    if (s.config.ramp && isFinalCheckpoint(s.config.ramp, ack)) this.apply(openFlow('decision', this.flowContext()));
  }

  private checkpointDue(due: CheckpointEvent): void {
    // Ring once per checkpoint falling due; the store write happens outside this listener pass.
    queueMicrotask(() => {
      ringBell(this.store);
      this.session.live.event({ kind: 'gate', level: 'warn', text: `checkpoint ${checkpointLabel(due.offsetMs)} due: ${due.label} (a acknowledges)` });
    });
  }
}
