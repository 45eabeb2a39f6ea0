/**
 * The gate history file (`history.jsonl` beside `ledger.jsonl`, `history-<actor>.jsonl` beside
 * `ledger-<actor>.jsonl`): one compact JSON object per line, for the report's charts. It is a
 * record of what the console saw, not an act: it is not hash-chained and carries no authority.
 *
 *   {"k":"meta","v":1,"t":…,"deployment":…,"gates":[…],"ramp":…}   at every console start
 *   {"t":…,"g":"entropy","s":"PASS","v":0.931,"th":">= 0.9 (warn >= 0.8)"}   a gate point
 *   {"t":…,"g":"entropy","s":"PASS","w":"FAIL",…}   w: the worst status seen since the last point
 *   {"t":…,"i":10}   influence (null: unknown)        {"t":…,"o":"NO-GO"}   the overall light
 *   {"t":…,"k":"thinned"} / {"t":…,"k":"full"}   the size cap was reached (see writer.ts)
 *   {"t":…,"k":"stop"}   the console quit: nothing is known until the next meta line
 */
import type { CriterionStatus, Overall } from '../core/types.js';

export const HISTORY_SCHEMA_VERSION = 1;

/** The history file that goes with a ledger file: `ledger.jsonl` → `history.jsonl`. */
export function historyNameFor(ledgerFile: string): string {
  return ledgerFile.replace(/^ledger/, 'history');
}

export const HISTORY_NAME = /^history(?:-[A-Za-z0-9._@+-]+)?\.jsonl$/;

export interface GateMeta {
  id: string;
  title: string;
  group: string;
  severity: string;
  /** Threshold texts as configured (`>= 0.9`, `<= 2x`). */
  go?: string;
  warn?: string;
  baseline?: number;
  manual?: boolean;
}

export interface RampMeta {
  stages: { influence: number; hold: number; checkpoints: { at: number; label: string }[] }[];
}

export interface MetaLine {
  k: 'meta';
  v: number;
  t: number;
  deployment: string;
  environment: string;
  actor: string;
  gates: GateMeta[];
  ramp?: RampMeta;
}

export interface GatePoint {
  t: number;
  g: string;
  s: CriterionStatus;
  /** Numbers rounded to 4 significant digits; words cut to 40 characters; null without data. */
  v: number | boolean | string | null;
  /** The worst status seen since the previous point, when worse than `s`. */
  w?: CriterionStatus;
  /** The threshold text as evaluated (`<= 2x (2.8)`), when it changed since the gate's last point. */
  th?: string;
}

export interface InfluencePoint {
  t: number;
  i: number | null;
}

export interface OverallPoint {
  t: number;
  o: Overall;
}

export interface CapLine {
  t: number;
  k: 'thinned' | 'full' | 'stop';
}

export type HistoryLine = MetaLine | GatePoint | InfluencePoint | OverallPoint | CapLine;

/** Worse first: how the report and the sampler rank statuses. */
export const STATUS_RANK: Record<CriterionStatus, number> = { FAIL: 4, UNKNOWN: 3, WARN: 2, WAIVED: 1, PASS: 0 };

const STATUSES = new Set(Object.keys(STATUS_RANK));
const OVERALLS = new Set(['GO', 'WARN', 'NO-GO']);

/** What one value looks like in the file. */
export function compactValue(v: unknown): GatePoint['v'] {
  if (typeof v === 'number') return Number.isFinite(v) ? Number(v.toPrecision(4)) : null;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return v.slice(0, 40);
  return null;
}

/** Parses a history file's text; lines that are not history lines are skipped and counted. */
export function parseHistory(text: string): { lines: HistoryLine[]; skipped: number } {
  const lines: HistoryLine[] = [];
  let skipped = 0;
  for (const raw of text.split('\n')) {
    if (raw.trim() === '') continue;
    let v: unknown;
    try {
      v = JSON.parse(raw);
    } catch {
      skipped++;
      continue;
    }
    const line = asHistoryLine(v);
    if (line) lines.push(line);
    else skipped++;
  }
  return { lines, skipped };
}

function asHistoryLine(v: unknown): HistoryLine | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o.t !== 'number' || !Number.isFinite(o.t)) return undefined;
  if (o.k === 'meta') return metaLine(o);
  if (o.k === 'thinned' || o.k === 'full' || o.k === 'stop') return { t: o.t, k: o.k };
  if (typeof o.g === 'string') {
    if (typeof o.s !== 'string' || !STATUSES.has(o.s)) return undefined;
    if (o.w !== undefined && (typeof o.w !== 'string' || !STATUSES.has(o.w))) return undefined;
    if (o.th !== undefined && typeof o.th !== 'string') return undefined;
    const v = o.v === null || ['number', 'boolean', 'string'].includes(typeof o.v) ? (o.v as GatePoint['v']) : null;
    return { ...(o as unknown as GatePoint), v };
  }
  if ('i' in o) return o.i === null || (typeof o.i === 'number' && Number.isFinite(o.i)) ? (o as unknown as InfluencePoint) : undefined;
  if (typeof o.o === 'string' && OVERALLS.has(o.o)) return o as unknown as OverallPoint;
  return undefined;
}

/** A meta line, with only the parts that have the expected shape (a damaged one never breaks a report). */
function metaLine(o: Record<string, unknown>): MetaLine | undefined {
  if (!Array.isArray(o.gates) || typeof o.deployment !== 'string') return undefined;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const gates: GateMeta[] = [];
  for (const g of o.gates as Record<string, unknown>[]) {
    if (!g || typeof g !== 'object' || typeof g.id !== 'string') continue;
    const m: GateMeta = { id: g.id, title: str(g.title) ?? g.id, group: str(g.group) ?? '', severity: str(g.severity) ?? '' };
    if (str(g.go)) m.go = str(g.go)!;
    if (str(g.warn)) m.warn = str(g.warn)!;
    if (typeof g.baseline === 'number' && Number.isFinite(g.baseline)) m.baseline = g.baseline;
    if (g.manual === true) m.manual = true;
    gates.push(m);
  }
  const meta: MetaLine = { k: 'meta', v: Number(o.v) || 0, t: o.t as number, deployment: o.deployment, environment: str(o.environment) ?? '', actor: str(o.actor) ?? '', gates };
  const stages = (o.ramp as { stages?: unknown } | undefined)?.stages;
  if (Array.isArray(stages) && stages.every((s) => s && typeof s.influence === 'number' && Array.isArray(s.checkpoints))) {
    meta.ramp = {
      stages: stages.map((s) => ({
        influence: s.influence,
        hold: Number(s.hold) || 0,
        checkpoints: (s.checkpoints as Record<string, unknown>[]).filter((c) => c && typeof c.at === 'number').map((c) => ({ at: c.at as number, label: String(c.label ?? '') })),
      })),
    };
  }
  return meta;
}
