/**
 * Pure: a gate's go and warn limits as numbers on its chart, from the thresholds as written and
 * as last evaluated (`<= 2x (2.8)`: a ratio's limit needs the baseline, which the evaluated text
 * carries). Words and booleans have no line to draw.
 */
import { parseThreshold, type Op } from '../config/threshold.js';
import type { GateMeta } from '../history/format.js';

export interface Limit {
  op: Op;
  value: number;
  text: string;
}

export function gateLimits(meta: GateMeta | undefined, evaluated: string): { go?: Limit; warn?: Limit } {
  const warnAt = evaluated.indexOf(' (warn ');
  const goText = warnAt >= 0 ? evaluated.slice(0, warnAt) : evaluated;
  const warnText = warnAt >= 0 ? evaluated.slice(warnAt + 7, -1) : '';
  const out: { go?: Limit; warn?: Limit } = {};
  const go = limit(meta?.go ?? stripEffective(goText), goText, meta?.baseline);
  if (go) out.go = go;
  const warn = limit(meta?.warn ?? stripEffective(warnText), warnText, meta?.baseline);
  if (warn) out.warn = warn;
  return out;
}

/** `<= 2x (2.8)` → `<= 2x`. */
function stripEffective(text: string): string | undefined {
  const t = text.replace(/\s*\([^()]*\)$/, '').trim();
  return t === '' ? undefined : t;
}

function limit(written: string | undefined, evaluated: string, baseline: number | undefined): Limit | undefined {
  if (!written) return undefined;
  let th;
  try {
    th = parseThreshold(written);
  } catch {
    return undefined;
  }
  if (th.operand.kind === 'number') return { op: th.op, value: th.operand.n, text: th.text };
  if (th.operand.kind !== 'ratio') return undefined;
  const eff = /\(([-+0-9.eE]+)\)$/.exec(evaluated)?.[1];
  const value = eff !== undefined ? Number(eff) : baseline !== undefined ? th.operand.n * baseline : NaN;
  return Number.isFinite(value) ? { op: th.op, value, text: `${th.text} (${Number(value.toPrecision(4))})` } : undefined;
}
