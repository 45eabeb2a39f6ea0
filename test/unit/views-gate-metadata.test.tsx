/**
 * Gate metadata (owner, runbook, description) and info gates in the console: the grid marks
 * the info gate and keeps the overall GO while it fails, the detail shows the metadata, and a
 * decision taken in the console records both in its criteria.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/audit/ledger.js';
import { buildDecisionRecord } from '../../src/audit/decisionFile.js';
import { systemClock } from '../../src/core/clock.js';
import { toCriteria } from '../../src/engine/criteria.js';
import { testConfig } from '../helpers/config.js';
import { gate } from '../helpers/gates.js';
import { renderConsole } from '../helpers/ink.js';

let dir: string;
let ledger: Ledger;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'warroom-meta-'));
  ledger = await Ledger.open(dir, { clock: systemClock, deployment: 'rl-policy-v42', environment: 'production' });
});
afterEach(async () => {
  await ledger.flush(2000);
  await ledger.close();
  await rm(dir, { recursive: true, force: true });
});

const META = { owner: 'team-policy', runbook: 'https://runbooks.example.com/entropy', description: 'Entropy collapse means the policy stopped exploring' };
const config = () =>
  testConfig({ audit: { dir } }, [
    gate({ id: 'entropy', title: 'Policy entropy', group: 'Policy health', go: '>= 0.9', metric: 'policy_entropy', ...META }),
    gate({ id: 'cost', title: 'Inference cost', group: 'Cost', go: '<= 50', metric: 'cost_usd_hourly', severity: 'info' }),
  ]);

describe('gate metadata and info gates in the console', () => {
  it('a failing info gate shows its light, marked (info), while the overall stays GO', async () => {
    const ui = await renderConsole({ config: config(), ledger });
    await ui.feed({ entropy: 0.95, cost: 61.5 });
    const f = ui.frame();
    expect(f).toMatch(/● NO-GO\s+Inference cost \(info\)\s+61\.5/);
    expect(f).toMatch(/● GO\s+Policy entropy/);
    expect(ui.store.getState().overall.overall).toBe('GO');
    ui.unmount();
  });

  it('the detail view shows owner, runbook and description', async () => {
    const ui = await renderConsole({ config: config(), ledger, rows: 40 });
    await ui.feed({ entropy: 0.95, cost: 10 });
    await ui.press('\r');
    const f = ui.frame();
    expect(f).toMatch(/owner\s+team-policy · runbook https:\/\/runbooks\.example\.com\/entropy/);
    expect(f).toMatch(/about\s+Entropy collapse means the policy stopped exploring/);
    await ui.press('\r', 'j', '\r');
    const info = ui.frame();
    expect(info).toMatch(/gate\s+cost \(info: watch-only, not counted, group Cost\)/);
    expect(info).not.toMatch(/owner\s/);
    ui.unmount();
  });

  it('a decision taken in the console records the metadata and the info gate in its criteria', async () => {
    const ui = await renderConsole({ config: config(), ledger });
    await ui.feed({ entropy: 0.95, cost: 61.5 });
    await ui.press('d', 'h');
    for (const ch of 'cost watch') await ui.press(ch);
    await ui.press('\r');
    await ui.waitFor(/y to confirm/);
    await ui.press('y');
    await ui.waitFor(/decision HOLD recorded/);
    await ledger.flush(2000);
    let files: string[] = [];
    for (let i = 0; i < 100 && files.length === 0; i++) {
      files = (await readdir(dir)).filter((f) => f.endsWith('_go_nogo.json'));
      if (!files.length) await new Promise((r) => setTimeout(r, 20));
    }
    expect(files).toHaveLength(1);
    const rec = JSON.parse(await readFile(join(dir, files[0]!), 'utf8'));
    expect(rec.overall).toBe('GO');
    expect(rec.criteria).toEqual([
      expect.objectContaining({ id: 'entropy', severity: 'critical', status: 'PASS', ...META }),
      expect.objectContaining({ id: 'cost', severity: 'info', status: 'FAIL', value: 61.5 }),
    ]);
    expect(rec.criteria[1]).not.toHaveProperty('owner');
    ui.unmount();
  });
});

describe('criteria and records carry metadata only where configured', () => {
  it('toCriteria and buildDecisionRecord', () => {
    const gates = [gate({ id: 'a', go: '>= 0', ...META }), gate({ id: 'b', go: '>= 0', owner: 'x' })];
    const cs = toCriteria(gates, {});
    expect(cs[0]).toMatchObject(META);
    expect(Object.keys(cs[1]!)).not.toContain('runbook');
    const rec = buildDecisionRecord(
      { at: 0, deployment: 'd', environment: 'e', decision: 'HOLD', decidedBy: 'alice', justification: 'j', overall: 'WARN', signoffs: [], waivers: [], criteria: cs.map((c) => ({ ...c, observedAt: 0 })) },
      'sha256:0',
    );
    expect(rec.criteria[0]).toMatchObject(META);
    expect(rec.criteria[1]).toEqual({ id: 'b', title: 'b', group: 'General', severity: 'critical', status: 'UNKNOWN', value: null, threshold: '>= 0', observed_at: '1970-01-01T00:00:00.000Z', owner: 'x' });
  });
});
