// How a judged gate reads on screen and in messages: the grid cell, the detail lines, the criterion text.
import type { GateConfig } from '../config/types.js';
import type { GateResult } from '../core/types.js';
import { effectText, pct, type Figures } from './verdict.js';

function num(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? '+Inf' : '-Inf';
  return String(Number(x.toPrecision(4)));
}

function signedNum(x: number): string {
  return x > 0 ? `+${num(x)}` : num(x);
}

/** The rule in few characters, for the grid: `inc >10%`, `dec >2%/h`. */
function shortRule(g: GateConfig): string {
  const j = g.judge!;
  const bad = j.bad === 'increase' ? 'inc' : j.bad === 'decrease' ? 'dec' : 'any';
  return `${bad} >${+(j.tolerance * 100).toPrecision(4)}%${j.kind === 'trend' ? '/h' : ''}`;
}

/**
 * The grid's value-and-threshold cell of a judged gate: `+31% [+22%, +40%] inc >10%`, `-4.1%/h dec >2%/h`,
 * or `– inc >10%` while there is no verdict.
 */
export function judgedCell(g: GateConfig, r: GateResult | undefined): string {
  return `${r?.judgment ? effectText(r.judgment) : '–'}  ${shortRule(g)}`;
}

/** A criterion's value in words (check text, notifications, decision records): `+31% [+22%, +40%] vs baseline`. */
export function judgedValueText(f: Figures): string {
  return f.kind === 'compare' ? `${effectText(f)} vs baseline` : `${effectText(f)} [${pct(f.relativeCi[0])}, ${pct(f.relativeCi[1])}]/h`;
}

/** The detail pane's lines for a judged gate; `spark` draws a sparkline. */
export function judgedDetail(g: GateConfig, r: GateResult | undefined, spark: (v: number[]) => string): [string, string][] {
  const j = g.judge!;
  const lines: [string, string][] = [];
  const f = r?.judgment;
  const conf = `${+(j.confidence * 100).toPrecision(4)}%`;
  const win = `window ${j.window / 60_000}m, step ${j.step / 1000}s, min ${j.minSamples}`;
  const side = j.bad === 'either' ? 'off 0' : j.bad === 'increase' ? 'above 0' : 'below 0';
  const tol = `${+(j.tolerance * 100).toPrecision(4)}%`;
  // Most telling first: the pane may be short.
  if (j.kind === 'compare') {
    if (f?.kind === 'compare') {
      lines.push(['samples', `canary m=${f.m} median ${num(f.medians.canary)} · baseline n=${f.n} median ${num(f.medians.baseline)}${f.dropped.canary + f.dropped.baseline ? ` · dropped NaN/Inf: ${f.dropped.canary} + ${f.dropped.baseline}` : ''}`]);
      lines.push(['shift', `${signedNum(f.shift)} [${signedNum(f.ci[0])}, ${signedNum(f.ci[1])}] = ${effectText(f)} of the baseline median`]);
      lines.push(['p', `${f.p < 1e-4 ? f.p.toExponential(1) : num(f.p)} (Mann–Whitney, two-sided; shown, not used by the rule)`]);
    }
    if (r?.series) lines.push(['series', `canary ${r.series.a.length ? spark(r.series.a) : '–'}  baseline ${r.series.b?.length ? spark(r.series.b) : '–'}`]);
    lines.push(['rule', `FAIL: ${conf} interval wholly ${side}, |effect| > ${tol} · ${win}`]);
    lines.push(['compare', `canary ${j.canary} vs baseline ${j.baseline}`]);
    return lines;
  }
  if (f?.kind === 'trend') {
    lines.push(['samples', `n=${f.n} median ${num(f.median)}${f.dropped ? ` · dropped NaN/Inf: ${f.dropped}` : ''}`]);
    lines.push(['slope', `${signedNum(f.slope)}/h [${signedNum(f.ci[0])}, ${signedNum(f.ci[1])}] = ${judgedValueText(f)}`]);
  }
  if (r?.series) lines.push(['series', r.series.a.length ? spark(r.series.a) : '–']);
  lines.push(['rule', `FAIL: ${conf} slope interval wholly ${side}, |slope| > ${tol}/h of the median · ${win}`]);
  lines.push(['trend', `${j.series}`]);
  return lines;
}
