/** Which probes each source must answer for a config: gates, baselines, the influence metric. */
import type { Config, GateConfig } from '../config/types.js';
import type { Probe } from '../sources/types.js';
import { judgedProbes } from '../judge/probes.js';

export const gateProbeId = (gateId: string) => `gate:${gateId}`;
export const baselineProbeId = (gateId: string) => `baseline:${gateId}`;
export const INFLUENCE_PROBE = 'influence';

function gateProbe(g: GateConfig): Probe {
  const p: Probe = { id: gateProbeId(g.id) };
  if (g.query !== undefined) p.query = g.query;
  if (g.metric !== undefined) p.metric = g.metric;
  if (g.key !== undefined) p.key = g.key;
  if (g.http !== undefined) p.http = g.http;
  if (g.filter !== undefined || g.silences !== undefined) p.alerts = { filter: g.filter ?? [], silences: g.silences ?? 'ignore' };
  if (g.field !== undefined || g.consecutive !== undefined || g.noFailuresWithin !== undefined) {
    p.files = {};
    if (g.field !== undefined) p.files.field = g.field;
    if (g.consecutive !== undefined) p.files.consecutive = g.consecutive;
    if (g.noFailuresWithin !== undefined) p.files.noFailuresWithin = g.noFailuresWithin;
  }
  return p;
}

export function probesBySource(config: Config): Record<string, Probe[]> {
  const out: Record<string, Probe[]> = {};
  for (const id of Object.keys(config.sources)) out[id] = [];
  for (const g of config.gates) {
    if (g.source === 'manual' || !out[g.source]) continue;
    if (g.judge) {
      out[g.source]!.push(...judgedProbes({ gate: gateProbeId(g.id), baseline: baselineProbeId(g.id) }, g.judge, config.sources[g.source]?.type));
      continue;
    }
    out[g.source]!.push(gateProbe(g));
    if (g.baselineQuery) out[g.source]!.push({ id: baselineProbeId(g.id), query: g.baselineQuery });
    if (g.baselineMetric) out[g.source]!.push({ id: baselineProbeId(g.id), metric: g.baselineMetric });
  }
  const inf = config.influence;
  if (inf && out[inf.source]) {
    const p: Probe = { id: INFLUENCE_PROBE };
    if (inf.metric !== undefined) p.metric = inf.metric;
    if (inf.query !== undefined) p.query = inf.query;
    if (inf.key !== undefined) p.key = inf.key;
    out[inf.source]!.push(p);
  }
  return out;
}
