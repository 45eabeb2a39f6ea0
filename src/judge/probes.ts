// Which probes a judged gate asks its source for: canary and baseline (compare) or the one series (trend),
// as range queries on prometheus and as the ordinary latest value elsewhere (their window is kept in memory).
import type { JudgeConfig, SourceType } from '../config/types.js';
import type { Probe } from '../sources/types.js';

export function judgedProbes(ids: { gate: string; baseline: string }, j: JudgeConfig, sourceType: SourceType | undefined): Probe[] {
  const sides: [string, string | undefined, 'canary' | 'baseline' | 'series'][] =
    j.kind === 'compare' ? [[ids.gate, j.canary, 'canary'], [ids.baseline, j.baseline, 'baseline']] : [[ids.gate, j.series, 'series']];
  return sides.map(([id, sel, role]) => {
    const p: Probe = { id };
    if (sel === undefined) return p;
    if (sourceType === 'prometheus') {
      p.query = sel;
      p.range = { window: j.window, step: j.step, role };
    } else if (sourceType === 'websocket') p.key = sel;
    else p.metric = sel;
    return p;
  });
}
