/**
 * Pure: one small SVG chart per gate on the shared time axis: its value as a step line coloured
 * by status, the go threshold as a solid line, the warn band shaded between go and warn, and a
 * status ribbon that carries the word (GO, WARN, NO-GO, ?, WAIVED) and a pattern, never colour
 * alone. Below it, the periods it was not GO, in words.
 */
import { LIGHT_WORD } from '../core/status.js';
import type { CriterionStatus } from '../core/types.js';
import { fmtNum, LEFT, RIGHT, valueTicks, WIDTH, type TimeAxis } from './axis.js';
import { esc, short } from './escape.js';
import type { GateModel, Limit } from './model.js';
import { clock } from './axis.js';

const PLOT_TOP = 8;
const PLOT_H = 74;
const RIBBON_H = 16;

export const STATUS_CLASS: Record<CriterionStatus, string> = { PASS: 'go', WARN: 'warn', FAIL: 'nogo', UNKNOWN: 'unknown', WAIVED: 'waived' };

interface Segment {
  from: number;
  to: number;
  s: CriterionStatus;
}

/** Status periods from the points, the last one running to the axis end. */
export function segments(g: GateModel, end: number): Segment[] {
  const out: Segment[] = [];
  g.points.forEach((p, i) => {
    const to = g.points[i + 1]?.t ?? end;
    const last = out[out.length - 1];
    if (last && last.s === p.s) last.to = to;
    else out.push({ from: p.t, to, s: p.s });
  });
  return out;
}

/** Decisions and verified kills, drawn faintly across every gate chart so "when did the kill land" reads at a glance. */
export interface AxisEvent {
  t: number;
  level: string;
}

export function gateChart(g: GateModel, axis: TimeAxis, events: readonly AxisEvent[] = []): string {
  const numeric = g.points.filter((p) => p.v !== null).map((p) => p.v!);
  const limits = [g.go?.value, g.warn?.value].filter((v): v is number => v !== undefined);
  const segs = segments(g, axis.end);
  const last = g.points[g.points.length - 1];
  const parts: string[] = [];
  // A gate without numbers (a sign-off, true/false, a word) is its ribbon alone.
  const ribbonY = numeric.length ? PLOT_TOP + PLOT_H + 6 : 4;
  const height = ribbonY + RIBBON_H + 18;
  if (numeric.length) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of [...numeric, ...limits]) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const pad = hi > lo ? (hi - lo) * 0.12 : Math.abs(hi) * 0.1 || 1;
    lo -= pad;
    hi += pad;
    const y = (v: number) => PLOT_TOP + PLOT_H - ((v - lo) / (hi - lo)) * PLOT_H;
    parts.push(zones(g.go, g.warn, y, lo, hi));
    for (const v of valueTicks(lo, hi)) parts.push(`<line class="grid" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}"/><text class="tick" x="${LEFT - 6}" y="${(y(v) + 3).toFixed(1)}" text-anchor="end">${esc(fmtNum(v))}</text>`);
    if (g.warn) parts.push(limitLine(g.warn, y, 'warn-line', 'warn'));
    if (g.go) parts.push(limitLine(g.go, y, 'go-line', 'go'));
    parts.push(valueLine(g, axis, y));
  }
  for (const e of events) {
    const x = axis.x(e.t).toFixed(1);
    parts.push(`<line class="event ${e.level}" x1="${x}" x2="${x}" y1="${PLOT_TOP - 4}" y2="${ribbonY + RIBBON_H}"/>`);
  }
  parts.push(ribbon(segs, axis, ribbonY));
  for (const p of g.points.filter((x) => x.w)) parts.push(`<rect class="ribbon ${STATUS_CLASS[p.w!]}" x="${(axis.x(p.t) - 2).toFixed(1)}" y="${ribbonY - 4}" width="4" height="${RIBBON_H + 4}"><title>${esc(`${LIGHT_WORD[p.w!]} briefly before ${clock(p.t, true)}`)}</title></rect>`);
  for (const t of axis.ticks) parts.push(`<text class="tick" x="${axis.x(t.t).toFixed(1)}" y="${height - 4}" text-anchor="middle">${esc(t.label)}</text>`);
  const title = `${short(g.title, 80)}${g.id !== g.title ? ` <span class="id">${esc(g.id)}</span>` : ''}`;
  const lastValue = last && !numeric.length && last.text !== undefined ? ` (value ${short(last.text, 40)})` : '';
  const end = last ? `<span class="badge ${STATUS_CLASS[last.s]}">${LIGHT_WORD[last.s]}</span> at the end${lastValue}` : '<span class="badge unknown">?</span> no points recorded';
  return [
    `<figure class="gate card"><figcaption><b>${title}</b> ${end} <span class="muted">${short(g.group, 40)}${g.severity ? ` · ${esc(g.severity)}` : ''}${g.thresholdText ? ` · ${short(g.thresholdText, 60)}` : ''}</span></figcaption>`,
    `<svg viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${esc(`${g.title}: values and status over the window`)}">${parts.join('')}</svg>`,
    `<p class="periods">${periodsText(segs, g)}</p></figure>`,
  ].join('');
}

/** Fail zone, warn band and pass zone as light fills, from the go and warn limits. */
function zones(go: Limit | undefined, warn: Limit | undefined, y: (v: number) => number, lo: number, hi: number): string {
  if (!go || (go.op !== '>=' && go.op !== '>' && go.op !== '<=' && go.op !== '<')) return '';
  const up = go.op === '>=' || go.op === '>';
  const rect = (a: number, b: number, cls: string) => {
    const y1 = y(Math.min(Math.max(Math.max(a, b), lo), hi));
    const y2 = y(Math.min(Math.max(Math.min(a, b), lo), hi));
    return y2 - y1 > 0 ? `<rect class="${cls}" x="${LEFT}" y="${y1.toFixed(1)}" width="${WIDTH - LEFT - RIGHT}" height="${(y2 - y1).toFixed(1)}"/>` : '';
  };
  const w = warn && (warn.op === go.op || (up ? warn.op === '>' || warn.op === '>=' : warn.op === '<' || warn.op === '<=')) ? warn.value : undefined;
  const failEdge = w ?? go.value;
  return up
    ? rect(go.value, hi, 'zone-go') + (w !== undefined ? rect(w, go.value, 'zone-warn') : '') + rect(lo, failEdge, 'zone-nogo')
    : rect(lo, go.value, 'zone-go') + (w !== undefined ? rect(go.value, w, 'zone-warn') : '') + rect(failEdge, hi, 'zone-nogo');
}

function limitLine(l: Limit, y: (v: number) => number, cls: string, word: string): string {
  const yy = y(l.value).toFixed(1);
  return `<line class="${cls}" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${yy}" y2="${yy}"/><text class="limit-label" x="${WIDTH - RIGHT - 4}" y="${(Number(yy) - 3).toFixed(1)}" text-anchor="end">${esc(word)} ${esc(l.text)}</text>`;
}

/**
 * The value as a step line, one path per run of the same status (coloured by it). Points are
 * thinned to what a pixel column can show (its first, lowest, highest and last, and every status
 * change), so an 8-hour window stays a small file.
 */
function valueLine(g: GateModel, axis: TimeAxis, y: (v: number) => number): string {
  const pts = thin(g.points, axis);
  const paths: { cls: string; d: string }[] = [];
  pts.forEach((p, i) => {
    if (p.v === null) return;
    const x1 = axis.x(p.t);
    const next = pts[i + 1];
    const x2 = Math.max(axis.x(next?.t ?? axis.end), x1 + 0.5);
    const cls = STATUS_CLASS[p.s];
    let cur = paths[paths.length - 1];
    const joined = cur && cur.cls === cls && pts[i - 1]?.v !== null && i > 0;
    if (!joined) paths.push((cur = { cls, d: `M${x1.toFixed(1)} ${y(p.v).toFixed(1)}` }));
    else cur!.d += `V${y(p.v).toFixed(1)}`;
    cur!.d += `H${x2.toFixed(1)}`;
    // The rise to the next value is drawn in the next status's colour (it starts that run).
    if (next && next.v !== null && STATUS_CLASS[next.s] !== cls) paths.push({ cls: STATUS_CLASS[next.s], d: `M${x2.toFixed(1)} ${y(p.v).toFixed(1)}V${y(next.v).toFixed(1)}` });
  });
  return paths.map((p) => `<path class="step ${p.cls}" d="${p.d}"/>`).join('');
}

/** Per pixel column: the first, lowest, highest and last point, and any whose status differs from the one before. */
export function thin<P extends { t: number; v: number | null; s: string }>(points: readonly P[], axis: TimeAxis): P[] {
  const out: P[] = [];
  let col: P[] = [];
  const flush = () => {
    if (col.length <= 4) for (const p of col) out.push(p);
    else {
      const nums = col.filter((p) => p.v !== null);
      const lo = nums.reduce<P | undefined>((a, p) => (!a || p.v! < a.v! ? p : a), undefined);
      const hi = nums.reduce<P | undefined>((a, p) => (!a || p.v! > a.v! ? p : a), undefined);
      const keep = new Set<P>([col[0]!, col[col.length - 1]!, ...(lo ? [lo] : []), ...(hi ? [hi] : [])]);
      col.forEach((p, i) => i > 0 && p.s !== col[i - 1]!.s && keep.add(p).add(col[i - 1]!));
      for (const p of col) if (keep.has(p)) out.push(p);
    }
    col = [];
  };
  let at = NaN;
  for (const p of points) {
    const c = Math.floor(axis.x(p.t));
    if (c !== at) flush();
    at = c;
    col.push(p);
  }
  flush();
  return out;
}

function ribbon(segs: Segment[], axis: TimeAxis, top: number): string {
  return segs
    .map((s) => {
      const x1 = axis.x(s.from);
      const w = Math.max(1, axis.x(s.to) - x1);
      const word = LIGHT_WORD[s.s];
      const label = w >= word.length * 7 + 6 ? `<text class="ribbon-word" x="${(x1 + w / 2).toFixed(1)}" y="${top + 12}" text-anchor="middle">${esc(word)}</text>` : '';
      return `<rect class="ribbon ${STATUS_CLASS[s.s]}" x="${x1.toFixed(1)}" y="${top}" width="${w.toFixed(1)}" height="${RIBBON_H}"><title>${esc(`${word} ${clock(s.from, true)}–${clock(s.to, true)}`)}</title></rect>${label}`;
    })
    .join('');
}

/** `NO-GO 14:03:10–14:05:00 · WARN 14:06:00–14:06:40`, or that it stayed GO. */
function periodsText(segs: Segment[], g: GateModel): string {
  // A status held for less than the 10 s between points is kept as the next point's worst (w).
  const brief = g.points.filter((p) => p.w).map((p) => ({ t: p.t, text: `<span class="badge ${STATUS_CLASS[p.w!]}">${LIGHT_WORD[p.w!]}</span> briefly before ${clock(p.t, true)}` }));
  const bad = segs.filter((s) => s.s !== 'PASS').map((s) => ({ t: s.from, text: `<span class="badge ${STATUS_CLASS[s.s]}">${LIGHT_WORD[s.s]}</span> ${clock(s.from, true)}–${clock(s.to, true)}` }));
  const all = [...bad, ...brief].sort((a, b) => a.t - b.t);
  if (segs.length === 0) return 'No status recorded.';
  if (all.length === 0) return 'GO for the whole recorded window.';
  return `Not GO: ${all.slice(0, 12).map((x) => x.text).join(' · ')}${all.length > 12 ? ` · and ${all.length - 12} more` : ''}`;
}
