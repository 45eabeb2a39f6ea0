/** The palette's order when a built-in is named: the kill-switch never loses to a runbook on its own name. */
import { describe, expect, it } from 'vitest';
import { paletteMatches, type RunbookOption } from '../../src/flows/palette.js';
import { ctxOf } from './flows-helpers.js';

const runbook = (id: string, title: string): RunbookOption => ({ id, title, params: [], usesReason: false, sends: 'runs kubectl (no shell)' });
const KILL_PODS = runbook('kill_canary', 'Kill canary pods');
const KILL_SW = runbook('ks', 'Kill-switch for the canary fleet');
const ctx = ctxOf({ runbooks: [KILL_PODS, KILL_SW, runbook('restart', 'Restart the fleet'), runbook('sign', 'Signal the pager')] });
const ids = (q: string) => paletteMatches(ctx, q).map((m) => m.entry.id);

describe('palette ranking: built-ins named by the query come first', () => {
  it(':kill, :kil, :k, :kill-switch, :killswitch and :Kill Switch all put the kill-switch first', () => {
    for (const q of ['kill', 'kil', 'k', 'K', 'kill-switch', 'killswitch', 'Kill Switch', 'kill sw']) expect(ids(q)[0], q).toBe('kill');
    // The runbooks still match, after it.
    expect(ids('kill')).toEqual(expect.arrayContaining(['runbook:kill_canary', 'runbook:ks']));
  });

  it('other built-ins named by their id, title start or key win over runbooks too', () => {
    expect(ids('sign')[0]).toBe('signoff');
    expect(ids('re')[0]).toMatch(/^(refresh|decision)$/);
    expect(ids('re').indexOf('runbook:restart')).toBeGreaterThan(ids('re').indexOf('refresh'));
    expect(ids('?')[0]).toBe('help');
  });

  it('a query that names no built-in keeps the fuzzy order (a runbook can come first)', () => {
    expect(ids('canary')[0]).toBe('runbook:kill_canary');
    expect(ids('pods')[0]).toBe('runbook:kill_canary');
    expect(ids('')[0]).toBe('kill');
  });
});
