/**
 * The span model of one window (SPEC §9.4), pure: it turns what the console saw — the paced
 * loop's typed events (stage, gate, overall, audit), action rows and ledger lines — into span
 * operations, which otlp.ts applies to the SDK.
 *
 * - one SERVER span per window (the console run, start → quit), CI/CD semantic conventions:
 *   `RUN <deployment>` with cicd.pipeline.* and deployment.* attributes;
 * - one child span per ramp stage, opened when the observed influence enters it and closed
 *   when another stage starts, the influence falls to 0, or the window ends;
 * - events on the innermost open span: gate status changes, the ledger's action phases,
 *   decisions (`deployment.gate`, with the criteria hash), sign-offs, waivers, acks, triggers.
 *
 * The window's cicd.pipeline.result, in order: `error` when audit lines were left unsaved or a
 * kill-switch failed or was abandoned; `failure` when a kill-switch was verified, the ramp was
 * rolled back, or the last decision was NO-GO; `cancellation` on SIGTERM/SIGHUP; `success`
 * when the last decision was GO; `skip` when the ramp never started and nothing was decided;
 * else (HOLD, or ramped with no decision) `cancellation`. deployment.status is `succeeded`
 * for success and `failed` for failure and error, and absent otherwise (not known).
 */
import type { ActionEvent, LedgerLine } from '../audit/types.js';
import type { CriterionStatus, GateResult, Overall, Value } from '../core/types.js';
import { oneLine } from '../util/sanitize.js';
import * as sc from './semconv.js';

export type AttrValue = string | number | boolean;
export type Attrs = Record<string, AttrValue>;

export type SpanOp =
  | { op: 'start'; key: string; parent?: string; name: string; kind: 'server' | 'internal'; at: number; attributes: Attrs }
  | { op: 'event'; key: string; name: string; at: number; attributes: Attrs }
  | { op: 'end'; key: string; at: number; attributes: Attrs; status: 'ok' | 'error' | 'unset'; message?: string };

export interface WindowInfo {
  runId: string;
  deployment: string;
  environment: string;
  actor: string;
  role?: string;
  mode: string;
  readOnly: boolean;
  /** Influence of each configured ramp stage, in order. */
  stages: readonly number[];
}

/** An action as the store shows it: the steps it reached so far (sent, acknowledged, …). */
export interface ObservedAction {
  id: string;
  name: string;
  from?: number;
  /** Absent for a runbook (it sets no influence). */
  to?: number;
  /** The runbook's id, for a runbook action. */
  runbook?: string;
  idempotencyKey?: string;
  steps: readonly { step: string; at: number; error?: string }[];
}

/** A gate's light change, as the paced loop's `gate` event tells it. */
export interface GateChange {
  id: string;
  from: CriterionStatus;
  to: CriterionStatus;
  value: Value | null;
  threshold: string;
}

/** What the model reads from a store snapshot (where the window stands at the start). */
export interface Observed {
  gates: Record<string, GateResult>;
  actions?: readonly ObservedAction[];
  /** Ramp stage index as the timeline counts it (-1: none); undefined without a ramp. */
  stageIndex?: number;
  overall: Overall;
  rolledBack?: boolean;
}

export interface WindowEnd {
  signal?: string;
  auditUnsaved: boolean;
}

export const WINDOW_KEY = 'window';

/** An attribute value: non-finite numbers and long text said in words (OTLP JSON has no NaN). */
function attr(v: Value | null | undefined): AttrValue {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'string') return oneLine(v, 200);
  return v;
}

export class WindowTrace {
  private stageKey: string | undefined;
  private stageIndex = -1;
  private stageCount = 0;
  private lastDecision: string | undefined;
  private killVerified = false;
  private killFailed = false;
  private ramped = false;
  private rolledBack = false;
  private overall: Overall = 'NO-GO';
  private ended = false;
  /** The last step told per action (by identity: the store keeps only the newest steps). */
  private readonly toldStep = new Map<string, object>();

  constructor(private readonly info: WindowInfo) {}

  private get current(): string {
    return this.stageKey ?? WINDOW_KEY;
  }

  start(at: number): SpanOp[] {
    const i = this.info;
    return [
      {
        op: 'start',
        key: WINDOW_KEY,
        name: `${sc.CICD_PIPELINE_ACTION_NAME_VALUE_RUN} ${i.deployment}`,
        kind: 'server',
        at,
        attributes: {
          [sc.ATTR_CICD_PIPELINE_NAME]: i.deployment,
          [sc.ATTR_CICD_PIPELINE_RUN_ID]: i.runId,
          [sc.ATTR_CICD_PIPELINE_ACTION_NAME]: sc.CICD_PIPELINE_ACTION_NAME_VALUE_RUN,
          [sc.ATTR_DEPLOYMENT_NAME]: i.deployment,
          [sc.ATTR_DEPLOYMENT_ID]: i.runId,
          [sc.ATTR_DEPLOYMENT_ENVIRONMENT_NAME]: i.environment,
          'warroom.actor': i.actor,
          ...(i.role ? { 'warroom.role': i.role } : {}),
          'warroom.mode': i.mode,
          'warroom.read_only': i.readOnly,
        },
      },
    ];
  }

  /**
   * The same from two snapshots (`prev` undefined: the first one, where the window stands):
   * the console reads the first one this way and follows the typed events after it.
   */
  observe(prev: Observed | undefined, next: Observed, at: number): SpanOp[] {
    if (this.ended) return [];
    const ops: SpanOp[] = [];
    this.overall = next.overall;
    if (next.rolledBack) this.rolledBack = true;
    // Stage first, so a gate that changed with the move is told on the span it happened in.
    if (next.stageIndex !== undefined) ops.push(...this.stage(next.stageIndex, next.rolledBack ?? false, at));
    if (prev && prev.gates !== next.gates) {
      for (const [id, g] of Object.entries(next.gates)) {
        const from: CriterionStatus = prev.gates[id]?.status ?? 'UNKNOWN';
        if (g.status !== from) ops.push(...this.gate({ id, from, to: g.status, value: g.value, threshold: g.threshold }, at));
      }
    }
    if (next.actions && next.actions !== prev?.actions) ops.push(...this.actions(next.actions));
    return ops;
  }

  /** The ramp's stage is now `to` (-1: none); `rolledBack`: influence was live and is now 0. */
  stage(to: number, rolledBack: boolean, at: number): SpanOp[] {
    if (this.ended) return [];
    if (rolledBack) this.rolledBack = true;
    return to === this.stageIndex ? [] : this.moveStage(to, at);
  }

  /** A gate's light changed: an event on the innermost open span. */
  gate(c: GateChange, at: number): SpanOp[] {
    if (this.ended) return [];
    return [
      {
        op: 'event',
        key: this.current,
        name: 'warroom.gate.status',
        at,
        attributes: {
          'warroom.gate.id': c.id,
          'warroom.gate.from': c.from,
          'warroom.gate.to': c.to,
          ...(c.value !== null ? { 'warroom.gate.value': attr(c.value) } : {}),
          'warroom.gate.threshold': c.threshold,
        },
      },
    ];
  }

  /** The overall light now (the window span's `warroom.overall` at the end). */
  overallIs(o: Overall): void {
    this.overall = o;
  }

  /** Action rows as the console shows them: the steps not told yet. */
  actions(rows: readonly ObservedAction[]): SpanOp[] {
    return this.ended ? [] : this.actionSteps(rows);
  }

  /** The audit trail's writes failed (lines pending), or every pending line is saved again. */
  audit(e: { state: 'failing' | 'saved'; pending: number; error?: string; at: number }): SpanOp[] {
    if (this.ended) return [];
    const attributes: Attrs = { 'warroom.audit.pending': e.pending, ...(e.error ? { 'warroom.audit.error': oneLine(e.error, 300) } : {}) };
    return [{ op: 'event', key: this.current, name: e.state === 'failing' ? 'warroom.audit.not_saved' : 'warroom.audit.saved', at: e.at, attributes }];
  }

  /**
   * Progress of each action between its ledger lines: `warroom.action.step` for sent,
   * acknowledged, verifying… (the ledger's requested / verified / failed lines are the
   * `warroom.action.<phase>` events). `sending` is left out: `sent` follows it at once.
   */
  private actionSteps(actions: readonly ObservedAction[]): SpanOp[] {
    const ops: SpanOp[] = [];
    for (const a of actions) {
      const last = this.toldStep.get(a.id);
      const from = last ? a.steps.indexOf(last as (typeof a.steps)[number]) + 1 : 0;
      if (from >= a.steps.length) continue;
      for (const st of a.steps.slice(from)) {
        if (st.step === 'sending' && !st.error) continue;
        ops.push({
          op: 'event',
          key: this.current,
          name: 'warroom.action.step',
          at: st.at,
          attributes: {
            'warroom.action.name': a.name,
            'warroom.action.step': st.step,
            ...(a.idempotencyKey ? { 'warroom.action.idempotency_key': a.idempotencyKey } : {}),
            ...(a.from !== undefined ? { 'warroom.action.from_pct': a.from } : {}),
            ...(a.to !== undefined ? { 'warroom.action.to_pct': a.to } : {}),
            ...(a.runbook ? { 'warroom.action.runbook': a.runbook } : {}),
            ...(st.error ? { 'warroom.action.error': oneLine(st.error, 300) } : {}),
          },
        });
      }
      this.toldStep.set(a.id, a.steps[a.steps.length - 1]!);
    }
    return ops;
  }

  private moveStage(to: number, at: number): SpanOp[] {
    const ops: SpanOp[] = [];
    const from = this.stageIndex;
    if (this.stageKey) {
      const result: sc.PipelineResult = to > from ? 'success' : to < 0 ? 'failure' : 'cancellation';
      ops.push({ op: 'end', key: this.stageKey, at, attributes: { [sc.ATTR_CICD_PIPELINE_TASK_RUN_RESULT]: result }, status: result === 'failure' ? 'error' : 'unset', ...(result === 'failure' ? { message: 'influence fell to 0% (rolled back)' } : {}) });
      this.stageKey = undefined;
    }
    this.stageIndex = to;
    if (to < 0) return ops;
    this.ramped = true;
    const n = ++this.stageCount;
    const pct = this.info.stages[to];
    const name = `stage ${to + 1}${pct !== undefined ? ` ${pct}%` : ''}`;
    this.stageKey = `stage:${n}`;
    ops.push({
      op: 'start',
      key: this.stageKey,
      parent: WINDOW_KEY,
      name,
      kind: 'internal',
      at,
      attributes: {
        [sc.ATTR_CICD_PIPELINE_TASK_NAME]: name,
        [sc.ATTR_CICD_PIPELINE_TASK_RUN_ID]: `${this.info.runId}/${n}`,
        [sc.ATTR_CICD_PIPELINE_TASK_TYPE]: sc.CICD_PIPELINE_TASK_TYPE_VALUE_DEPLOY,
        'warroom.stage.index': to + 1,
        ...(pct !== undefined ? { 'warroom.stage.influence_pct': pct } : {}),
      },
    });
    return ops;
  }

  /**
   * A line this console's ledger took in during the window. `criteriaHash` for decision lines:
   * sha256 of the canonical JSON of the record's criteria (see criteriaHash.ts).
   */
  ledgerLine(line: LedgerLine, opts: { criteriaHash?: string } = {}): SpanOp[] {
    if (this.ended) return [];
    const at = Date.parse(line.ts);
    const who = { 'warroom.actor': line.actor, ...(line.role ? { 'warroom.role': line.role } : {}) };
    const ev = (name: string, attributes: Attrs): SpanOp[] => [{ op: 'event', key: this.current, name, at: Number.isFinite(at) ? at : 0, attributes: { ...attributes, ...who } }];
    switch (line.type) {
      case 'action':
        return ev(`warroom.action.${line.phase}`, this.action(line));
      case 'decision':
        this.lastDecision = line.decision;
        return ev('deployment.gate', {
          'deployment.gate.decision': line.decision,
          'deployment.gate.actor': line.actor,
          ...(line.role ? { 'deployment.gate.role': line.role } : {}),
          ...(opts.criteriaHash ? { 'deployment.gate.criteria_hash': opts.criteriaHash } : {}),
          'deployment.gate.record_id': line.id,
          'deployment.gate.record_hash': line.record_hash,
          'deployment.gate.justification': oneLine(line.justification, 200),
          ...(line.next_review ? { 'deployment.gate.next_review': line.next_review } : {}),
        });
      case 'signoff':
        return ev('warroom.signoff', { 'warroom.signoff.role': line.role, ...(line.gate ? { 'warroom.gate.id': line.gate } : {}) });
      case 'waiver':
        return ev('warroom.waiver', { 'warroom.gate.id': line.gate, 'warroom.waiver.expires': line.expires, 'warroom.waiver.reason': oneLine(line.reason, 200) });
      case 'checkpoint.ack':
        return ev('warroom.checkpoint.ack', { 'warroom.stage.index': line.stage + 1, 'warroom.checkpoint.offset_ms': line.offset_ms, 'warroom.checkpoint.label': oneLine(line.label, 200) });
      case 'trigger':
        return ev(`warroom.trigger.${line.phase}`, { 'warroom.gate.id': line.gate, 'warroom.trigger.mode': line.mode, 'warroom.gate.value': attr(line.value), 'warroom.gate.threshold': line.threshold });
      default:
        return [];
    }
  }

  private action(line: ActionEvent): Attrs {
    if (line.action === 'kill_switch') {
      if (line.phase === 'verified') this.killVerified = true;
      if (line.phase === 'failed' || line.phase === 'abandoned') this.killFailed = true;
    }
    return {
      'warroom.action.name': line.action,
      'warroom.action.phase': line.phase,
      'warroom.action.idempotency_key': line.idempotency_key,
      ...(line.from_pct !== undefined ? { 'warroom.action.from_pct': line.from_pct } : {}),
      ...(line.to_pct !== undefined ? { 'warroom.action.to_pct': line.to_pct } : {}),
      ...(line.attempt !== undefined ? { 'warroom.action.attempt': line.attempt } : {}),
      ...(line.trigger ? { 'warroom.action.trigger': line.trigger } : {}),
      ...(line.runbook ? { 'warroom.action.runbook': line.runbook } : {}),
      ...(line.error ? { 'warroom.action.error': oneLine(line.error, 300) } : {}),
    };
  }

  /** The window's result (see the header) from what was seen. */
  result(end: WindowEnd): { result: sc.PipelineResult; errorType?: string; status?: sc.DeploymentStatus } {
    if (end.auditUnsaved) return { result: 'error', errorType: 'audit_not_saved', status: 'failed' };
    if (this.killFailed) return { result: 'error', errorType: 'kill_switch_failed', status: 'failed' };
    if (this.killVerified || this.rolledBack) return { result: 'failure', errorType: 'rolled_back', status: 'failed' };
    if (this.lastDecision === 'NO-GO') return { result: 'failure', errorType: 'nogo_decision', status: 'failed' };
    if (end.signal) return { result: 'cancellation' };
    if (this.lastDecision === 'GO') return { result: 'success', status: 'succeeded' };
    if (!this.ramped && this.lastDecision === undefined) return { result: 'skip' };
    return { result: 'cancellation' };
  }

  end(end: WindowEnd, at: number): SpanOp[] {
    if (this.ended) return [];
    const r = this.result(end);
    const ops: SpanOp[] = [];
    if (this.stageKey) {
      ops.push({ op: 'end', key: this.stageKey, at, attributes: { [sc.ATTR_CICD_PIPELINE_TASK_RUN_RESULT]: r.result }, status: r.result === 'failure' || r.result === 'error' ? 'error' : 'unset' });
      this.stageKey = undefined;
    }
    this.ended = true;
    const failed = r.result === 'failure' || r.result === 'error';
    ops.push({
      op: 'end',
      key: WINDOW_KEY,
      at,
      attributes: {
        [sc.ATTR_CICD_PIPELINE_RESULT]: r.result,
        ...(r.status ? { [sc.ATTR_DEPLOYMENT_STATUS]: r.status } : {}),
        ...(r.errorType ? { [sc.ATTR_ERROR_TYPE]: r.errorType } : {}),
        'warroom.overall': this.overall,
        ...(this.lastDecision ? { 'warroom.decision': this.lastDecision } : {}),
        ...(end.signal ? { 'warroom.signal': end.signal } : {}),
      },
      status: failed ? 'error' : r.result === 'success' ? 'ok' : 'unset',
      ...(failed && r.errorType ? { message: r.errorType } : {}),
    });
    return ops;
  }
}
