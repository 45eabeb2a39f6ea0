/**
 * Pure: the influence step chart (ramp stages, checkpoints, kills and decisions marked) and the
 * acts chart (one lane each for decisions, sign-offs, actions, triggers and the audit), on the
 * same time axis as the gate charts.
 */
import { clock, LEFT, RIGHT, WIDTH, type TimeAxis } from './axis.js';
import { esc, short } from './escape.js';
import { LANES, type Mark } from './marks.js';
import type { WindowModel } from './model.js';

const INF_TOP = 24;
const INF_H = 150;

export function influenceChart(m: WindowModel, axis: TimeAxis): string {
  const y = (pct: number) => INF_TOP + INF_H - (Math.min(Math.max(pct, 0), 100) / 100) * INF_H;
  const ribbonY = INF_TOP + INF_H + 8;
  const h = ribbonY + 16 + 20;
  const parts: string[] = [];
  for (const v of [0, 25, 50, 75, 100]) parts.push(`<line class="grid" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y(v)}" y2="${y(v)}"/><text class="tick" x="${LEFT - 6}" y="${y(v) + 3}" text-anchor="end">${v}%</text>`);
  m.influence.stages.forEach((pct, i) => {
    parts.push(`<line class="stage" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y(pct)}" y2="${y(pct)}"/><text class="stage-label" x="${LEFT + 4}" y="${y(pct) - 3}">stage ${i + 1} · ${pct}%</text>`);
  });
  for (const k of m.marks.filter((x) => (x.kind === 'kill' && x.label.endsWith('verified')) || x.kind === 'decision')) {
    const x = axis.x(k.until ?? k.at).toFixed(1);
    const right = Number(x) > WIDTH - RIGHT - 60;
    parts.push(`<line class="event ${k.level}" x1="${x}" x2="${x}" y1="${INF_TOP - 14}" y2="${INF_TOP + INF_H}"/><text class="event-label" x="${Number(x) + (right ? -3 : 3)}" y="${INF_TOP - 8}" text-anchor="${right ? 'end' : 'start'}">${short(k.kind === 'kill' ? 'KILL' : k.label.replace('decision ', ''), 12)}</text>`);
  }
  const steps = m.influence.steps;
  let d = '';
  steps.forEach((s, i) => {
    if (s.pct === null) return;
    const x1 = axis.x(s.t);
    const x2 = axis.x(steps[i + 1]?.t ?? axis.end);
    d += `M${x1.toFixed(1)} ${y(s.pct).toFixed(1)}H${x2.toFixed(1)}`;
    const next = steps[i + 1];
    if (next && next.pct !== null) d += `V${y(next.pct).toFixed(1)}`;
  });
  if (d) parts.push(`<path class="influence" d="${d}"/>`);
  for (const s of steps.filter((x, i) => x.pct === null && i < steps.length - 1)) {
    const x1 = axis.x(s.t);
    const next = steps[steps.indexOf(s) + 1]!;
    parts.push(`<rect class="ribbon unknown" x="${x1.toFixed(1)}" y="${INF_TOP + INF_H - 12}" width="${Math.max(1, axis.x(next.t) - x1).toFixed(1)}" height="12"><title>influence unknown</title></rect>`);
  }
  for (const c of m.influence.checkpoints) {
    const pct = m.influence.stages[c.stage] ?? 0;
    if (c.due !== undefined && c.due <= axis.end) parts.push(`<circle class="checkpoint-due" cx="${axis.x(c.due).toFixed(1)}" cy="${y(pct)}" r="4"><title>${esc(`checkpoint due: ${c.label}`)}</title></circle>`);
    if (c.ack) {
      const x = axis.x(c.ack.at);
      parts.push(`<path class="checkpoint-ack" d="M${x.toFixed(1)} ${y(pct) - 6}l5 6l-5 6l-5 -6z"/><text class="event-label" x="${(x + 7).toFixed(1)}" y="${y(pct) + 14}">${short(`✓ ${c.label} (${c.ack.actor})`, 40)}</text>`);
    }
  }
  parts.push(overallRibbon(m.overall, axis, ribbonY));
  for (const t of axis.ticks) parts.push(`<text class="tick" x="${axis.x(t.t).toFixed(1)}" y="${h - 4}" text-anchor="middle">${esc(t.label)}</text>`);
  const legend = m.influence.from === 'none' ? '<p class="muted">No influence was observed or changed in this window.</p>' : `<p class="muted">Influence as ${m.influence.from === 'history' ? 'the console observed it' : 'verified actions set it'}; dashed: ramp stages; ◇ checkpoint acknowledged, ○ checkpoint due; vertical lines: decisions and a verified kill; the band below: the overall light as the console showed it.</p>`;
  return `<figure class="card"><figcaption><b>Influence</b></figcaption><svg viewBox="0 0 ${WIDTH} ${h}" role="img" aria-label="influence over the window">${parts.join('')}</svg>${legend}</figure>`;
}

const LIGHT_CLASS = { GO: 'go', WARN: 'warn', 'NO-GO': 'nogo' } as const;

/** The overall light over time, each stretch with its word (and "no console" where none ran). */
function overallRibbon(steps: WindowModel['overall'], axis: TimeAxis, top: number): string {
  const parts = [`<text class="lane" x="${LEFT - 6}" y="${top + 12}" text-anchor="end">light</text>`];
  steps.forEach((s, i) => {
    const x1 = axis.x(s.t);
    const w = Math.max(1, axis.x(steps[i + 1]?.t ?? axis.end) - x1);
    const word = s.o ?? 'no console';
    const label = w >= word.length * 7 + 6 ? `<text class="ribbon-word" x="${(x1 + w / 2).toFixed(1)}" y="${top + 12}" text-anchor="middle">${esc(word)}</text>` : '';
    parts.push(`<rect class="ribbon ${s.o ? LIGHT_CLASS[s.o] : 'unknown'}" x="${x1.toFixed(1)}" y="${top}" width="${w.toFixed(1)}" height="16"><title>${esc(`${word} from ${clock(s.t, true)}`)}</title></rect>${label}`);
  });
  return parts.join('');
}

const LANE_H = 38;

export function actsChart(marks: readonly Mark[], axis: TimeAxis): string {
  const h = LANES.length * LANE_H + 24;
  const parts: string[] = [];
  LANES.forEach((lane, i) => {
    const y = i * LANE_H + LANE_H / 2 + 4;
    parts.push(`<line class="grid" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y}" y2="${y}"/><text class="lane" x="${LEFT - 6}" y="${y + 4}" text-anchor="end">${lane}</text>`);
    let freeAt = -Infinity;
    let row = 0;
    for (const mk of marks.filter((x) => x.lane === lane)) {
      const x = axis.x(mk.at);
      const bar = mk.until !== undefined ? `<rect x="${x.toFixed(1)}" y="${y - 1.5}" width="${Math.max(0, axis.x(mk.until) - x).toFixed(1)}" height="3"/>` : '';
      parts.push(`<g class="mark ${mk.level}${mk.void ? ' void' : ''}">${bar}${shape(mk, x, y)}<title>${esc(`${clock(mk.at, true)} ${mk.label} by ${mk.actor}${mk.void ? ` (${mk.void})` : ''}`)}</title></g>`);
      // Labels that would overlap the previous one go on the other side of the lane, or are left to the table.
      const text = `${mk.label} · ${mk.actor}`;
      const width = Math.min(text.length, 40) * 5.6;
      if (x > freeAt) {
        row = 0;
        freeAt = x + width + 8;
      } else if (row === 0) {
        row = 1;
      } else continue;
      const ty = row === 0 ? y - 6 : y + 13;
      const anchor = x + width > WIDTH - RIGHT ? 'end' : 'start';
      parts.push(`<text class="mark-label" x="${(anchor === 'end' ? x - 7 : x + 7).toFixed(1)}" y="${ty}" text-anchor="${anchor}">${short(text, 40)}</text>`);
    }
  });
  for (const t of axis.ticks) parts.push(`<text class="tick" x="${axis.x(t.t).toFixed(1)}" y="${h - 4}" text-anchor="middle">${esc(t.label)}</text>`);
  return `<figure class="card"><figcaption><b>Acts on the time axis</b> <span class="muted">(every one is in the table below)</span></figcaption><svg viewBox="0 0 ${WIDTH} ${h}" role="img" aria-label="decisions, sign-offs and actions over the window">${parts.join('')}</svg></figure>`;
}

/** A shape per kind, so kinds differ without colour: ■ decision, ● sign-off, ▲ kill, ◆ other action. */
function shape(m: Mark, x: number, y: number): string {
  const X = x.toFixed(1);
  switch (m.kind) {
    case 'decision':
    case 'override':
      return `<rect x="${(x - 5).toFixed(1)}" y="${y - 5}" width="10" height="10"/>`;
    case 'signoff':
    case 'waiver':
    case 'checkpoint':
      return `<circle cx="${X}" cy="${y}" r="5"/>`;
    case 'kill':
    case 'trigger':
      return `<path d="M${X} ${y - 6}l6 11h-12z"/>`;
    default:
      return `<path d="M${X} ${y - 6}l6 6l-6 6l-6 -6z"/>`;
  }
}
