/**
 * Threshold grammar: `OP VALUE`, OP in == != < <= > >=, VALUE a number, `Nx` (times the
 * gate's baseline), true/false, or a bare word compared as a string.
 */
import type { Value } from '../core/types.js';

export type Op = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type Operand =
  | { kind: 'number'; n: number }
  | { kind: 'ratio'; n: number }
  | { kind: 'bool'; b: boolean }
  | { kind: 'word'; s: string };

export interface Threshold {
  op: Op;
  operand: Operand;
  /** As written, for display and audit. */
  text: string;
}

const RE = /^\s*(==|!=|<=|>=|<|>)\s*(\S(?:.*\S)?)\s*$/;
const NUM = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export function parseThreshold(text: string): Threshold {
  const src = String(text);
  const m = RE.exec(src);
  if (!m) throw new Error(`"${src}" is not a threshold: expected OP VALUE with OP one of == != < <= > >= (e.g. ">= 0.9")`);
  const op = m[1] as Op;
  const raw = m[2]!;
  let operand: Operand;
  if (NUM.test(raw)) operand = { kind: 'number', n: Number(raw) };
  else if (/x$/i.test(raw) && NUM.test(raw.slice(0, -1))) operand = { kind: 'ratio', n: Number(raw.slice(0, -1)) };
  else if (raw === 'true' || raw === 'false') operand = { kind: 'bool', b: raw === 'true' };
  else if (/^[A-Za-z_][\w.\-:/]*$/.test(raw)) operand = { kind: 'word', s: raw };
  else throw new Error(`"${src}": "${raw}" is not a number, Nx, true/false or a bare word`);
  if ((operand.kind === 'bool' || operand.kind === 'word') && op !== '==' && op !== '!=') {
    throw new Error(`"${src}": ${op} needs a number; words and booleans take == or !=`);
  }
  return { op, operand, text: `${op} ${raw}` };
}

export type Comparison = { ok: true; holds: boolean } | { ok: false; error: string };

function cmp(op: Op, a: number, b: number): boolean {
  switch (op) {
    case '==': return a === b;
    case '!=': return a !== b;
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
  }
}

/** Interprets a value read from a source as a boolean the way people write them in feeds. */
export function truthy(v: Value): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v !== 0 : undefined;
  const s = v.trim().toLowerCase();
  if (['true', 'yes', 'ok', 'pass', 'passed', '1', 'on'].includes(s)) return true;
  if (['false', 'no', 'fail', 'failed', '0', 'off', ''].includes(s)) return false;
  return undefined;
}

/**
 * Does `value` satisfy the threshold? Non-finite numbers never hold (NaN/±Inf fail closed),
 * a ratio without a usable baseline is an error, type mismatches are errors.
 */
export function compare(th: Threshold, value: Value, baseline?: number): Comparison {
  const o = th.operand;
  switch (o.kind) {
    case 'number':
    case 'ratio': {
      let n: number;
      if (typeof value === 'number') n = value;
      else if (typeof value === 'string' && NUM.test(value.trim())) n = Number(value.trim());
      else if (typeof value === 'boolean') n = value ? 1 : 0;
      else return { ok: false, error: `value "${String(value)}" is not a number` };
      if (!Number.isFinite(n)) return { ok: false, error: `value is ${n}` };
      let limit = o.n;
      if (o.kind === 'ratio') {
        if (baseline === undefined || !Number.isFinite(baseline)) return { ok: false, error: 'no baseline for an Nx threshold' };
        limit = o.n * baseline;
      }
      return { ok: true, holds: cmp(th.op, n, limit) };
    }
    case 'bool': {
      const b = truthy(value);
      if (b === undefined) return { ok: false, error: `value "${String(value)}" is not true/false` };
      return { ok: true, holds: th.op === '==' ? b === o.b : b !== o.b };
    }
    case 'word': {
      const s = typeof value === 'string' ? value.trim() : String(value);
      return { ok: true, holds: th.op === '==' ? s === o.s : s !== o.s };
    }
  }
}
