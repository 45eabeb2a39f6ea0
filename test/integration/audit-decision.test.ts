import { describe, it, expect } from 'vitest';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { FakeClock } from '../../src/core/clock.js';
import { Ledger } from '../../src/audit/ledger.js';
import { auditFixture } from '../helpers/auditFixture.js';
import {
  buildDecisionRecord,
  hashDecisionRecord,
  recordDecision,
  writeDecisionRecord,
  type DecisionInput,
} from '../../src/audit/decisionFile.js';
import { verifyAuditDir } from '../../src/audit/verify.js';

const { tempDir, track } = auditFixture('decision');

const T0 = Date.parse('2026-11-23T14:00:00Z');
function input(over: Partial<DecisionInput> = {}): DecisionInput {
  return {
    id: 'd-1',
    at: T0 + 5_000,
    deployment: 'rl-policy-v42',
    environment: 'production',
    decision: 'GO',
    decidedBy: 'alice',
    role: 'release_captain',
    justification: 'all green',
    nextReview: null,
    overall: 'GO',
    influencePct: 10,
    rampStage: 1,
    signoffs: [{ role: 'on_call', actor: 'bob', at: T0 }],
    waivers: [{ gate: 'cost', actor: 'alice', reason: 'known', at: T0, expires: T0 + 7_200_000 }],
    criteria: [
      { id: 'entropy', title: 'Entropy', group: 'Policy', severity: 'critical', status: 'PASS', value: 0.93, threshold: '>= 0.9', observedAt: T0 },
      { id: 'q', title: 'Q spread', group: 'Policy', severity: 'critical', status: 'UNKNOWN', value: NaN, threshold: '<= 2', observedAt: undefined },
    ],
    ...over,
  };
}

describe('decision records', () => {
  it('buildDecisionRecord gives the SPEC shape with a verifiable hash', () => {
    const r = buildDecisionRecord(input(), 'sha256:' + 'a'.repeat(64));
    expect(Object.keys(r)).toEqual([
      'schema', 'id', 'timestamp', 'deployment', 'environment', 'decision', 'decided_by', 'role', 'justification',
      'next_review', 'overall', 'influence_pct', 'ramp_stage', 'signoffs', 'waivers', 'criteria', 'prev_hash', 'hash',
    ]);
    expect(r).toMatchObject({
      schema: 'warroom.decision/v1',
      timestamp: '2026-11-23T14:00:05.000Z',
      signoffs: [{ role: 'on_call', actor: 'bob', at: '2026-11-23T14:00:00.000Z' }],
      waivers: [{ gate: 'cost', actor: 'alice', reason: 'known', expires: '2026-11-23T16:00:00.000Z' }],
      next_review: null,
    });
    expect(r.criteria[0]).toEqual({ id: 'entropy', title: 'Entropy', group: 'Policy', severity: 'critical', status: 'PASS', value: 0.93, threshold: '>= 0.9', observed_at: '2026-11-23T14:00:00.000Z' });
    expect(r.criteria[1]).toMatchObject({ value: null, observed_at: null });
    expect(hashDecisionRecord(r)).toBe(r.hash);
    expect(hashDecisionRecord({ ...r, justification: 'x' })).not.toBe(r.hash);
  });

  it('writes atomically: no .tmp left, JSON parses, hash verifies, prev_hash = ledger hash, ledger line carries it', async () => {
    const dir = await tempDir();
    const clock = new FakeClock(T0);
    const ledger = await Ledger.open(dir, { clock, deployment: 'rl-policy-v42', environment: 'production' });
    track(ledger);
    const before = ledger.append({ type: 'signoff', role: 'on_call', actor: 'bob' });
    const rd = recordDecision(ledger, dir, input(), clock);
    const path = await rd.written;
    await ledger.flush(1000);

    expect(basename(path)).toBe('20261123T140005Z_go_nogo.json');
    const names = await readdir(dir);
    expect(names.filter((n) => n.endsWith('.tmp'))).toEqual([]);
    const onDisk = JSON.parse(await readFile(path, 'utf8'));
    expect(hashDecisionRecord(onDisk)).toBe(onDisk.hash);
    expect(onDisk.prev_hash).toBe(before.hash);
    expect(rd.line).toMatchObject({ type: 'decision', decision: 'GO', id: 'd-1', file: basename(path), record_hash: onDisk.hash, actor: 'alice', role: 'release_captain' });
    expect(rd.line.prev_hash).toBe(before.hash);
    expect(await verifyAuditDir(dir)).toMatchObject({ ok: true, exitCode: 0 });

    // A second decision in the same second gets its own file.
    const rd2 = recordDecision(ledger, dir, input({ id: 'd-2', decision: 'HOLD' }), clock);
    expect(basename(await rd2.written)).toBe('20261123T140005Z_2_go_nogo.json');
    await ledger.flush(1000);
    expect(await verifyAuditDir(dir)).toMatchObject({ ok: true, message: expect.stringContaining('2 decision record(s)') });
  });

  it('writeDecisionRecord never clobbers an existing record', async () => {
    const dir = await tempDir();
    const r = buildDecisionRecord(input(), 'sha256:' + '0'.repeat(64));
    const a = await writeDecisionRecord(dir, r, new FakeClock(T0));
    const b = await writeDecisionRecord(dir, { ...r, id: 'other' }, new FakeClock(T0));
    const c = await writeDecisionRecord(dir, r, new FakeClock(T0));
    expect([a, b, c].map((p) => basename(p))).toEqual([
      '20261123T140005Z_go_nogo.json',
      '20261123T140005Z_2_go_nogo.json',
      '20261123T140005Z_3_go_nogo.json',
    ]);
    expect(JSON.parse(await readFile(a, 'utf8')).id).toBe('d-1');
    expect((await readdir(dir)).some((n) => n.endsWith('.tmp'))).toBe(false);
  });

  it('verify names an edited decision file and one the ledger does not know', async () => {
    const dir = await tempDir();
    const clock = new FakeClock(T0);
    const ledger = await Ledger.open(dir, { clock, deployment: 'rl-policy-v42', environment: 'production' });
    track(ledger);
    const path = await recordDecision(ledger, dir, input(), clock).written;
    await ledger.flush(1000);
    const rec = JSON.parse(await readFile(path, 'utf8'));
    await writeFile(path, JSON.stringify({ ...rec, decision: 'NO-GO' }));
    const v = await verifyAuditDir(dir);
    expect(v).toMatchObject({ ok: false, exitCode: 1 });
    expect(v.message).toContain('20261123T140005Z_go_nogo.json: hash mismatch (file edited)');

    // A well-formed record never announced in the ledger.
    await writeFile(path, JSON.stringify(rec));
    await writeDecisionRecord(dir, buildDecisionRecord(input({ id: 'sneaky', at: T0 + 60_000 }), rec.prev_hash));
    const v2 = await verifyAuditDir(dir);
    expect(v2.exitCode).toBe(1);
    expect(v2.message).toContain('20261123T140100Z_go_nogo.json: no ledger.jsonl decision line carries its hash');
    expect(v2.message).not.toContain('20261123T140005Z');
  });
});
