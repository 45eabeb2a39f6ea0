/** The window's span model (pure): span tree, CI/CD attributes, events, and the window result rules. */
import { describe, expect, it } from 'vitest';
import * as inc from '@opentelemetry/semantic-conventions/incubating';
import * as stable from '@opentelemetry/semantic-conventions';
import type { LedgerLine } from '../../src/audit/types.js';
import type { GateResult } from '../../src/core/types.js';
import { criteriaHash } from '../../src/telemetry/criteriaHash.js';
import { canonicalJson, sha256Tagged } from '../../src/audit/canonical.js';
import * as sc from '../../src/telemetry/semconv.js';
import { WINDOW_KEY, WindowTrace, type Observed, type SpanOp } from '../../src/telemetry/spans.js';

const T0 = Date.parse('2026-11-23T14:00:00Z');
const info = { runId: 'run-1', deployment: 'rl-policy-v42', environment: 'production', actor: 'alice', role: 'release_captain', mode: 'live', readOnly: false, stages: [10, 25] };
const g = (id: string, status: GateResult['status'], value: GateResult['value'] = 0.95): GateResult => ({ id, status, raw: status, value, threshold: '>= 0.9', reason: '' });
const obs = (over: Partial<Observed> = {}): Observed => ({ gates: {}, overall: 'GO', stageIndex: -1, ...over });
const line = (l: Record<string, unknown>): LedgerLine => ({ schema: 'warroom.ledger/v1', seq: 1, ts: new Date(T0 + 5000).toISOString(), actor: 'alice', role: 'release_captain', deployment: 'd', environment: 'e', prev_hash: 'p', hash: 'h', ...l }) as unknown as LedgerLine;
const starts = (ops: SpanOp[]) => ops.filter((o) => o.op === 'start');
const events = (ops: SpanOp[]) => ops.filter((o): o is Extract<SpanOp, { op: 'event' }> => o.op === 'event');
const ends = (ops: SpanOp[]) => ops.filter((o): o is Extract<SpanOp, { op: 'end' }> => o.op === 'end');

describe('WindowTrace', () => {
  it('opens one SERVER span per window named RUN <deployment>, with CI/CD and deployment attributes', () => {
    const [w] = new WindowTrace(info).start(T0);
    expect(w).toMatchObject({ op: 'start', key: WINDOW_KEY, name: 'RUN rl-policy-v42', kind: 'server', at: T0 });
    expect(w!.op === 'start' && w!.attributes).toMatchObject({
      'cicd.pipeline.name': 'rl-policy-v42',
      'cicd.pipeline.run.id': 'run-1',
      'cicd.pipeline.action.name': 'RUN',
      'deployment.environment.name': 'production',
      'deployment.id': 'run-1',
      'warroom.role': 'release_captain',
    });
  });

  it('a stage span per ramp stage, child of the window; the next stage closes it with success, a rollback with failure', () => {
    const t = new WindowTrace(info);
    t.start(T0);
    const a = t.observe(undefined, obs({ stageIndex: 0 }), T0 + 1000);
    expect(starts(a)).toEqual([expect.objectContaining({ key: 'stage:1', parent: WINDOW_KEY, name: 'stage 1 10%', kind: 'internal', at: T0 + 1000 })]);
    expect(starts(a)[0]!.op === 'start' && starts(a)[0]).toMatchObject({ attributes: { 'cicd.pipeline.task.type': 'deploy', 'cicd.pipeline.task.run.id': 'run-1/1', 'warroom.stage.influence_pct': 10 } });
    const b = t.observe(obs({ stageIndex: 0 }), obs({ stageIndex: 1 }), T0 + 2000);
    expect(ends(b)).toEqual([expect.objectContaining({ key: 'stage:1', at: T0 + 2000, attributes: { 'cicd.pipeline.task.run.result': 'success' } })]);
    expect(starts(b)).toEqual([expect.objectContaining({ key: 'stage:2', name: 'stage 2 25%' })]);
    const c = t.observe(obs({ stageIndex: 1 }), obs({ stageIndex: -1, rolledBack: true }), T0 + 3000);
    expect(ends(c)).toEqual([expect.objectContaining({ key: 'stage:2', status: 'error', attributes: { 'cicd.pipeline.task.run.result': 'failure' } })]);
    expect(starts(c)).toEqual([]);
    // Nothing moves when the stage does not.
    expect(t.observe(obs({ stageIndex: -1 }), obs({ stageIndex: -1 }), T0 + 4000)).toEqual([]);
  });

  it('gate status changes are events on the innermost open span, with from, to, value and threshold', () => {
    const t = new WindowTrace(info);
    t.start(T0);
    const first = obs({ gates: { entropy: g('entropy', 'PASS') } });
    expect(t.observe(undefined, first, T0)).toEqual([]); // the first snapshot is where changes start from
    const inStage = obs({ gates: { entropy: g('entropy', 'FAIL', NaN) }, stageIndex: 0 });
    const ops = t.observe(first, inStage, T0 + 1000);
    expect(events(ops)).toEqual([
      { op: 'event', key: 'stage:1', name: 'warroom.gate.status', at: T0 + 1000, attributes: { 'warroom.gate.id': 'entropy', 'warroom.gate.from': 'PASS', 'warroom.gate.to': 'FAIL', 'warroom.gate.value': 'NaN', 'warroom.gate.threshold': '>= 0.9' } },
    ]);
    // Same status, new value: no event.
    expect(events(t.observe(inStage, obs({ gates: { entropy: g('entropy', 'FAIL', 0.5) }, stageIndex: 0 }), T0 + 2000))).toEqual([]);
  });

  it('action ledger lines and the store steps between them are events carrying the idempotency key', () => {
    const t = new WindowTrace(info);
    t.start(T0);
    const req = t.ledgerLine(line({ type: 'action', action: 'kill_switch', phase: 'requested', from_pct: 10, to_pct: 0, idempotency_key: 'k1', reason: 'r' }));
    expect(events(req)).toEqual([expect.objectContaining({ key: WINDOW_KEY, name: 'warroom.action.requested', at: T0 + 5000, attributes: expect.objectContaining({ 'warroom.action.name': 'kill_switch', 'warroom.action.idempotency_key': 'k1', 'warroom.action.from_pct': 10, 'warroom.action.to_pct': 0 }) })]);
    const sent = { step: 'sent', at: T0 + 5100 };
    const a1 = { id: 'kill_switch-1', name: 'kill_switch', from: 10, to: 0, idempotencyKey: 'k1', steps: [{ step: 'sending', at: T0 + 5050 }, sent] };
    const s1 = obs({ actions: [a1] });
    expect(events(t.observe(obs(), s1, T0 + 5100)).map((e) => [e.attributes['warroom.action.step'], e.attributes['warroom.action.idempotency_key'], e.at])).toEqual([['sent', 'k1', T0 + 5100]]);
    const a2 = { ...a1, steps: [...a1.steps, { step: 'acknowledged', at: T0 + 5200 }, { step: 'verified', at: T0 + 6000 }] };
    expect(events(t.observe(s1, obs({ actions: [a2] }), T0 + 6000)).map((e) => e.attributes['warroom.action.step'])).toEqual(['acknowledged', 'verified']);
    // A step already told is never told again.
    expect(events(t.observe(obs({ actions: [a2] }), obs({ actions: [{ ...a2 }] }), T0 + 6100))).toEqual([]);
  });

  it('a decision is a deployment.gate event with decision, actor, role and the criteria hash', () => {
    const t = new WindowTrace(info);
    t.start(T0);
    const ops = t.ledgerLine(line({ type: 'decision', decision: 'GO', id: 'd1', file: 'x_go_nogo.json', record_hash: 'sha256:r', justification: 'green', next_review: null }), { criteriaHash: 'sha256:c' });
    expect(events(ops)[0]).toMatchObject({
      name: 'deployment.gate',
      attributes: { 'deployment.gate.decision': 'GO', 'deployment.gate.actor': 'alice', 'deployment.gate.role': 'release_captain', 'deployment.gate.criteria_hash': 'sha256:c', 'deployment.gate.record_hash': 'sha256:r' },
    });
  });

  it('criteria hash = sha256 of the canonical JSON of the criteria (key order does not matter)', () => {
    const a = [{ id: 'e', title: 't', group: 'g', severity: 'critical', status: 'PASS' as const, value: 0.9, threshold: '>= 0.9', observed_at: null }];
    const b = [{ observed_at: null, threshold: '>= 0.9', value: 0.9, status: 'PASS' as const, severity: 'critical', group: 'g', title: 't', id: 'e' }];
    expect(criteriaHash(a)).toBe(criteriaHash(b));
    expect(criteriaHash(a)).toBe(sha256Tagged(canonicalJson(a)));
    expect(criteriaHash(a)).not.toBe(criteriaHash([{ ...a[0]!, status: 'FAIL' }]));
  });

  describe('the window result', () => {
    const decided = (d: string) => line({ type: 'decision', decision: d, id: 'd', file: 'f', record_hash: 'r', justification: 'j', next_review: null });
    const kill = (phase: string) => line({ type: 'action', action: 'kill_switch', phase, to_pct: 0, idempotency_key: 'k' });
    const endOf = (t: WindowTrace, end = { auditUnsaved: false } as { auditUnsaved: boolean; signal?: string }) => ends(t.end(end, T0 + 9000)).find((o) => o.key === WINDOW_KEY)!;
    const fresh = () => {
      const t = new WindowTrace(info);
      t.start(T0);
      return t;
    };

    it('GO decided and nothing rolled back: success, deployment succeeded, status OK', () => {
      const t = fresh();
      t.observe(undefined, obs({ stageIndex: 0 }), T0);
      t.ledgerLine(decided('GO'));
      const e = endOf(t);
      expect(e.attributes).toMatchObject({ 'cicd.pipeline.result': 'success', 'deployment.status': 'succeeded', 'warroom.decision': 'GO' });
      expect(e.status).toBe('ok');
    });

    it('a verified kill-switch: failure, deployment failed, error.type rolled_back — even after a GO', () => {
      const t = fresh();
      t.ledgerLine(decided('GO'));
      t.ledgerLine(kill('verified'));
      expect(endOf(t)).toMatchObject({ status: 'error', attributes: { 'cicd.pipeline.result': 'failure', 'deployment.status': 'failed', 'error.type': 'rolled_back' } });
    });

    it('a failed or abandoned kill-switch, or audit lines unsaved: error', () => {
      for (const phase of ['failed', 'abandoned']) {
        const t = fresh();
        t.ledgerLine(kill(phase));
        expect(endOf(t).attributes).toMatchObject({ 'cicd.pipeline.result': 'error', 'error.type': 'kill_switch_failed' });
      }
      expect(endOf(fresh(), { auditUnsaved: true }).attributes).toMatchObject({ 'cicd.pipeline.result': 'error', 'error.type': 'audit_not_saved' });
    });

    it('NO-GO decided: failure; a signal: cancellation; HOLD: cancellation; nothing at all: skip with no deployment.status', () => {
      const nogo = fresh();
      nogo.ledgerLine(decided('NO-GO'));
      expect(endOf(nogo).attributes).toMatchObject({ 'cicd.pipeline.result': 'failure', 'error.type': 'nogo_decision' });
      const sig = fresh();
      sig.ledgerLine(decided('GO'));
      expect(endOf(sig, { auditUnsaved: false, signal: 'SIGTERM' }).attributes).toMatchObject({ 'cicd.pipeline.result': 'cancellation', 'warroom.signal': 'SIGTERM' });
      const hold = fresh();
      hold.ledgerLine(decided('HOLD'));
      expect(endOf(hold).attributes['cicd.pipeline.result']).toBe('cancellation');
      const idle = endOf(fresh());
      expect(idle.attributes['cicd.pipeline.result']).toBe('skip');
      expect(idle.attributes).not.toHaveProperty('deployment.status');
    });

    it('ending closes the open stage span first (with the window\'s result), and nothing follows the end', () => {
      const t = fresh();
      t.observe(undefined, obs({ stageIndex: 0 }), T0);
      t.ledgerLine(decided('GO'));
      const ops = t.end({ auditUnsaved: false }, T0 + 9000);
      expect(ops.map((o) => `${o.op}:${o.key}`)).toEqual(['end:stage:1', `end:${WINDOW_KEY}`]);
      expect(ends(ops)[0]!.attributes['cicd.pipeline.task.run.result']).toBe('success');
      expect(t.observe(obs(), obs({ stageIndex: 1 }), T0 + 10_000)).toEqual([]);
      expect(t.ledgerLine(kill('verified'))).toEqual([]);
      expect(t.end({ auditUnsaved: false }, T0 + 11_000)).toEqual([]);
    });
  });
});

describe('semconv copies', () => {
  it('match the installed @opentelemetry/semantic-conventions 1.38', () => {
    const pkg = { ...stable, ...inc } as Record<string, unknown>;
    for (const [name, v] of Object.entries(sc)) {
      if (!name.startsWith('ATTR_') && !name.endsWith('_VALUE_RUN') && !name.endsWith('_VALUE_DEPLOY')) continue;
      expect([name, pkg[name]]).toEqual([name, v]);
    }
    expect(inc.CICD_PIPELINE_RESULT_VALUE_CANCELLATION).toBe('cancellation');
    expect(inc.DEPLOYMENT_STATUS_VALUE_SUCCEEDED).toBe('succeeded');
  });
});
