/** Pure: the shared time axis of every chart, and number formatting for value axes. */

export const WIDTH = 1000;
export const LEFT = 86;
export const RIGHT = 24;

export interface TimeAxis {
  start: number;
  end: number;
  x(t: number): number;
  ticks: { t: number; label: string }[];
}

const STEPS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

export function timeAxis(start: number, end: number): TimeAxis {
  const span = Math.max(1000, end - start);
  const e = start + span;
  const x = (t: number) => LEFT + ((Math.min(Math.max(t, start), e) - start) / span) * (WIDTH - LEFT - RIGHT);
  const stepS = STEPS_S.find((s) => span / (s * 1000) <= 8) ?? 86400;
  const step = stepS * 1000;
  const ticks: { t: number; label: string }[] = [];
  for (let t = Math.ceil(start / step) * step; t <= e; t += step) ticks.push({ t, label: clock(t, stepS < 60) });
  return { start, end: e, x, ticks };
}

/** `14:05` or `14:05:30` (UTC). */
export function clock(t: number, seconds: boolean): string {
  const iso = new Date(t).toISOString();
  return seconds ? iso.slice(11, 19) : iso.slice(11, 16);
}

export function fmtNum(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3)) return v.toExponential(1);
  return String(Number(v.toPrecision(3)));
}

/** Round numbers from lo to hi for a value axis (at most ~4). */
export function valueTicks(lo: number, hi: number): number[] {
  const span = hi - lo;
  if (!(span > 0)) return [lo];
  const raw = span / 3;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(6)));
  return out;
}
