// Which probes a judged gate asks its source for: canary and baseline (compare) or the one series (trend),
// as range queries on prometheus and as the ordinary latest value elsewhere (their window is kept in memory).
import type { GateConfig, JudgeConfig, SourceType } from '../config/types.js';
import type { Probe } from '../sources/types.js';

export function judgedProbes(g: GateConfig, j: JudgeConfig, sourceType: SourceType | undefined): Probe[] {
  const sides: [string, string | undefined, 'canary' | 'baseline' | 'series'][] =
    j.kind === 'compare' ? [[`gate:${g.id}`, j.canary, 'canary'], [`baseline:${g.id}`, j.baseline, 'baseline']] : [[`gate:${g.id}`, j.series, 'series']];
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
