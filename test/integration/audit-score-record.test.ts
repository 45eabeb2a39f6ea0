/** SPEC §9.5: the score travels into the decision record, its ledger line, `audit verify` and `report`. */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { recordDecision, type DecisionInput } from '../../src/audit/decisionFile.js';
import { Ledger } from '../../src/audit/ledger.js';
import { renderReport } from '../../src/audit/report.js';
import { verifyAuditDir } from '../../src/audit/verify.js';
import { FakeClock } from '../../src/core/clock.js';
import { auditFixture } from '../helpers/auditFixture.js';

const { tempDir, track } = auditFixture('score-record');
const T0 = Date.parse('2026-11-23T14:00:00Z');
const input = (over: Partial<DecisionInput> = {}): DecisionInput => ({
  id: 'd-1', at: T0, deployment: 'rl-policy-v42', environment: 'production', decision: 'GO', decidedBy: 'alice', role: 'release_captain',
  justification: 'score clears the bar', overall: 'GO', signoffs: [], waivers: [], criteria: [], ...over,
});

describe('decision record score', () => {
  it('is written to the record and the ledger line, verifies, and shows in the report; unscored records stay as before', async () => {
    const dir = await tempDir();
    const clock = new FakeClock(T0);
    const ledger = track(await Ledger.open(dir, { clock, deployment: 'rl-policy-v42', environment: 'production' }));
    const scored = recordDecision(ledger, dir, input({ score: { value: 92.39, pass: 90, warning: 75 } }), clock);
    const path = await scored.written;
    const rec = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    expect(rec.score).toEqual({ value: 92.39, pass: 90, warning: 75 });
    expect(scored.line).toMatchObject({ type: 'decision', score: { value: 92.39, pass: 90, warning: 75 } });
    clock.advance(60_000);
    const plain = recordDecision(ledger, dir, input({ id: 'd-2', at: T0 + 60_000, decision: 'HOLD', justification: 'waiting' }), clock);
    const plainRec = JSON.parse(await readFile(await plain.written, 'utf8')) as Record<string, unknown>;
    expect('score' in plainRec).toBe(false);
    await ledger.flush();
    expect((await verifyAuditDir(dir)).exitCode).toBe(0);
    const md = await renderReport(dir);
    expect(md).toContain('| Time (UTC) | Decision | By | Role | Justification | Next review | Score |');
    expect(md).toContain('| 2026-11-23 14:00:00 | GO | alice | release_captain | score clears the bar |  | 92.39 % (pass ≥ 90) |');
    expect(md).toContain('| 2026-11-23 14:01:00 | HOLD | alice | release_captain | waiting |  |  |');
  });
});
