/**
 * Pure: which history points to write for one observation of the console's state. A series
 * (a gate, the influence, the overall light) gets a point when it changed, one per `minGapMs`
 * on average, per series: a budget that refills one point per `minGapMs` and holds at most
 * `BURST`. A change of status (or of influence or light) is written at once while the budget
 * lasts, so the moment a gate goes red keeps its real time; a change of value alone waits until
 * `minGapMs` after the last point and leaves one point in reserve for the next status change.
 * What cannot be written yet is held, and the newest held state goes out when the budget allows
 * (with the worst status seen meanwhile, so a flap to red is never lost).
 */
import type { CriterionStatus, GateResult, Overall } from '../core/types.js';
import { compactValue, STATUS_RANK, type GatePoint, type HistoryLine } from './format.js';

export const MIN_GAP_MS = 10_000;
export const BURST = 5;

export interface Observation {
  now: number;
  gates: Record<string, GateResult>;
  /** undefined: unknown (no reading, stale or failed). */
  influence: number | undefined;
  overall: Overall | undefined;
}

interface Held {
  sig: string;
  make: (t: number, worst?: CriterionStatus) => HistoryLine;
  status?: CriterionStatus;
  worst?: CriterionStatus;
}

interface Series {
  /** Points that may be written now (refills one per minGapMs, at most BURST). */
  tokens: number;
  tokensAt: number;
  lastAt: number;
  lastSig: string;
  lastStatus?: CriterionStatus;
  held?: Held;
}

export class HistorySampler {
  private readonly series = new Map<string, Series>();
  private readonly thresholds = new Map<string, string>();

  constructor(private readonly minGapMs = MIN_GAP_MS) {}

  /**
   * The points due now. With `statusOnly` (the size cap was reached), a gate point is written
   * only when its status changed; value-only changes are dropped.
   */
  observe(o: Observation, statusOnly = false): HistoryLine[] {
    const out: HistoryLine[] = [];
    for (const [id, g] of Object.entries(o.gates)) {
      const v = compactValue(g.value);
      const sig = `${g.status}|${JSON.stringify(v)}|${g.threshold}`;
      const make = (t: number, worst?: CriterionStatus): GatePoint => {
        const p: GatePoint = { t, g: id, s: g.status, v };
        if (worst && STATUS_RANK[worst] > STATUS_RANK[g.status]) p.w = worst;
        if (this.thresholds.get(id) !== g.threshold) {
          this.thresholds.set(id, g.threshold);
          p.th = g.threshold;
        }
        return p;
      };
      this.step(`g:${id}`, o.now, { sig, make, status: g.status }, out, statusOnly);
    }
    const i = o.influence;
    this.step('i', o.now, { sig: String(i), make: (t) => ({ t, i: i ?? null }) }, out);
    if (o.overall) {
      const ov = o.overall;
      this.step('o', o.now, { sig: ov, make: (t) => ({ t, o: ov }) }, out);
    }
    return out;
  }

  /** Every held change, written now: the window ends, and its last change must not be lost. */
  drain(now: number): HistoryLine[] {
    const out: HistoryLine[] = [];
    for (const s of this.series.values()) {
      if (!s.held) continue;
      out.push(s.held.make(Math.max(now, s.lastAt), s.held.worst));
      s.lastAt = now;
      s.lastSig = s.held.sig;
      delete s.held;
    }
    return out;
  }

  private step(key: string, now: number, cur: Held, out: HistoryLine[], statusOnly = false): void {
    const s = this.series.get(key);
    if (!s) {
      this.series.set(key, { tokens: BURST - 1, tokensAt: now, lastAt: now, lastSig: cur.sig, ...(cur.status ? { lastStatus: cur.status } : {}) });
      out.push(cur.make(now));
      return;
    }
    s.tokens = Math.min(BURST, s.tokens + Math.max(0, now - s.tokensAt) / this.minGapMs);
    s.tokensAt = now;
    const worst = worse(s.held?.worst, cur.status);
    // Back to what was last written, but a worse status passed meanwhile: still worth a point.
    const flapped = worst !== undefined && s.lastStatus !== undefined && STATUS_RANK[worst] > STATUS_RANK[s.lastStatus] && worst !== cur.status;
    const same = statusOnly && cur.status !== undefined ? cur.status === s.lastStatus : cur.sig === s.lastSig;
    if (same && !flapped) {
      delete s.held;
      return;
    }
    const statusChange = cur.status === undefined || cur.status !== s.lastStatus || flapped;
    const allowed = statusChange ? s.tokens >= 1 : s.tokens >= 2 && now - s.lastAt >= this.minGapMs;
    if (!allowed) {
      s.held = { ...cur, ...(worst ? { worst } : {}) };
      return;
    }
    s.tokens -= 1;
    out.push(cur.make(now, worst));
    s.lastAt = now;
    s.lastSig = cur.sig;
    if (cur.status) s.lastStatus = cur.status;
    delete s.held;
  }
}

function worse(a: CriterionStatus | undefined, b: CriterionStatus | undefined): CriterionStatus | undefined {
  if (!a) return b;
  if (!b) return a;
  return STATUS_RANK[a] >= STATUS_RANK[b] ? a : b;
}
