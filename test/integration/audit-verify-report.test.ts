import { describe, it, expect } from 'vitest';
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FakeClock } from '../../src/core/clock.js';
import { Ledger } from '../../src/audit/ledger.js';
import { auditFixture } from '../helpers/auditFixture.js';
import { recordDecision } from '../../src/audit/decisionFile.js';
import { verifyAuditDir } from '../../src/audit/verify.js';
import { AuditReportError, renderReport } from '../../src/audit/report.js';

const { tempDir, track } = auditFixture('verify');
const T0 = Date.parse('2026-11-23T14:00:00Z');
const MIN = 60_000;

/** A fabricated window: ramp 0 → 10 → 25, a trigger, a kill-switch back to 0. */
async function fabricate(dir: string): Promise<Ledger> {
  const clock = new FakeClock(T0);
  const l = await Ledger.open(dir, { clock, deployment: 'rl-policy-v42', environment: 'production' });
  track(l);
  const at = (m: number) => clock.set(T0 + m * MIN);
  l.append({ type: 'note', text: 'window opened', actor: 'alice' });
  at(2);
  l.append({ type: 'signoff', role: 'on_call', actor: 'bob' });
  l.append({ type: 'waiver', gate: 'cost', reason: 'budget | approved\u001b[31m', expires: '2026-11-23T16:00:00.000Z', actor: 'alice', role: 'release_captain' });
  at(4);
  const decided = recordDecision(l, dir, {
    id: 'dec-1', at: clock.now(), deployment: 'rl-policy-v42', environment: 'production', decision: 'GO',
    decidedBy: 'alice', role: 'release_captain', justification: 'all green | ship it', overall: 'GO',
    influencePct: 0, rampStage: 0, signoffs: [], waivers: [], criteria: [],
  }, clock);
  at(5);
  l.append({ type: 'action', action: 'set_influence', phase: 'requested', from_pct: 0, to_pct: 10, idempotency_key: 'k1', actor: 'alice', role: 'release_captain' });
  l.append({ type: 'action', action: 'set_influence', phase: 'verified', from_pct: 0, to_pct: 10, idempotency_key: 'k1', actor: 'alice', role: 'release_captain' });
  at(35);
  l.append({ type: 'checkpoint.ack', stage: 0, offset_ms: 30 * MIN, label: 'Check for any alerts', actor: 'bob', role: 'on_call' });
  l.append({ type: 'action', action: 'set_influence', phase: 'verified', from_pct: 10, to_pct: 25, idempotency_key: 'k2', actor: 'alice', role: 'release_captain' });
  at(44);
  l.append({ type: 'trigger', phase: 'fired', gate: 'entropy', mode: 'auto', value: 0.71, threshold: '>= 0.9', actor: 'alice' });
  l.append({ type: 'action', action: 'kill_switch', phase: 'failed', from_pct: 25, to_pct: 0, idempotency_key: 'k3', attempt: 1, error: 'HTTP 503', trigger: 'entropy', actor: 'alice' });
  at(45);
  l.append({ type: 'action', action: 'kill_switch', phase: 'verified', from_pct: 25, to_pct: 0, idempotency_key: 'k3', attempt: 2, trigger: 'entropy', actor: 'alice' });
  at(60);
  l.append({ type: 'note', text: 'window closed', actor: 'alice' });
  await decided.written;
  await l.flush(1000);
  return l;
}

describe('verifyAuditDir', () => {
  it('fails clearly on a missing dir or ledger, accepts an empty ledger', async () => {
    const dir = await tempDir();
    const missingDir = await verifyAuditDir(join(dir, 'nope'));
    expect(missingDir).toMatchObject({ ok: false, exitCode: 1 });
    expect(missingDir.message).toMatch(/audit directory .*nope not found/);
    const noLedger = await verifyAuditDir(dir);
    expect(noLedger).toMatchObject({ ok: false, exitCode: 1 });
    expect(noLedger.message).toMatch(/ledger\.jsonl: not found/);
    await writeFile(join(dir, 'ledger.jsonl'), '');
    expect(await verifyAuditDir(dir)).toMatchObject({ ok: true, exitCode: 0, message: expect.stringContaining('0 line(s)') });
  });

  it('names the edited ledger line as file:line', async () => {
    const dir = await tempDir();
    await fabricate(dir);
    expect(await verifyAuditDir(dir)).toMatchObject({ ok: true, exitCode: 0 });
    const path = join(dir, 'ledger.jsonl');
    const lines = (await readFile(path, 'utf8')).split('\n');
    lines[5] = lines[5]!.replace('"to_pct":10', '"to_pct":50');
    await writeFile(path, lines.join('\n'));
    const v = await verifyAuditDir(dir);
    expect(v).toMatchObject({ ok: false, exitCode: 1 });
    expect(v.message.split('\n')[0]).toBe('ledger.jsonl:6: hash mismatch (line edited)');
  });

  it('flags a decision line whose record file was deleted', async () => {
    const dir = await tempDir();
    await fabricate(dir);
    await unlink(join(dir, '20261123T140400Z_go_nogo.json'));
    const v = await verifyAuditDir(dir);
    expect(v.exitCode).toBe(1);
    expect(v.message).toBe('ledger.jsonl:4: decision record 20261123T140400Z_go_nogo.json is missing');
  });
});

describe('renderReport', () => {
  it('renders every section from a fabricated ledger, escaped and sanitized', async () => {
    const dir = await tempDir();
    await fabricate(dir);
    const md = await renderReport(dir);
    expect(md).toContain('# Post-deploy report: rl-policy-v42 (production)');
    expect(md).toContain('- **Period:** 2026-11-23 14:00:00 to 2026-11-23 15:00:00 UTC (1h)');
    expect(md).toMatch(/- \*\*Integrity:\*\* OK: verified: 12 ledger line\(s\)/);
    expect(md).toContain('## Decisions');
    expect(md).toContain('| 2026-11-23 14:04:00 | GO | alice | release_captain | all green \\| ship it |  |');
    expect(md).toContain('## Actions');
    expect(md).toContain('| 2026-11-23 14:44:00 | kill_switch (trigger: entropy) | failed (attempt 1) | 25% → 0% | alice |  | HTTP 503 |');
    expect(md).toContain('## Checkpoints');
    expect(md).toContain('| 2026-11-23 14:35:00 | 0 | T+30m | Check for any alerts | bob |');
    expect(md).toContain('## Rollback triggers');
    expect(md).toContain('| 2026-11-23 14:44:00 | entropy | fired | auto | 0.71 | >= 0.9 | alice |');
    expect(md).toContain('## Sign-offs and waivers');
    expect(md).toContain('| 2026-11-23 14:02:00 | on_call | (decision) | bob |');
    expect(md).toContain('| 2026-11-23 14:02:00 | cost | alice | budget \\| approved | 2026-11-23 16:00:00 |');
    expect(md).not.toContain('\u001b');
    expect(md).toContain('## Time at each influence level');
    // 0%: 14:00-14:05 and 14:45-15:00 = 20m; 10%: 30m; 25%: 10m.
    expect(md).toContain('| 0% | 20m | 33.3% |');
    expect(md).toContain('| 10% | 30m | 50.0% |');
    expect(md).toContain('| 25% | 10m | 16.7% |');
    expect(md).toContain('## Notes');
  });

  it('reports a broken chain in the integrity line, and refuses a dir without a ledger', async () => {
    const dir = await tempDir();
    await fabricate(dir);
    const path = join(dir, 'ledger.jsonl');
    const lines = (await readFile(path, 'utf8')).split('\n');
    [lines[8], lines[9]] = [lines[9]!, lines[8]!];
    await writeFile(path, lines.join('\n'));
    const md = await renderReport(dir);
    expect(md).toMatch(/- \*\*Integrity:\*\* FAILED: ledger\.jsonl:9: prev_hash mismatch \(lines reordered/);
    await expect(renderReport(await tempDir())).rejects.toBeInstanceOf(AuditReportError);
  });
});
