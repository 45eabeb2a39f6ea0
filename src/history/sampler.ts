/**
 * Pure: which history points to write for one observation of the console's state. A series
 * (a gate, the influence, the overall light) gets a point when it changed, at most one per
 * `minGapMs`: a change sooner than that is held, and the newest held state is written once the
 * gap has passed (with the worst status seen meanwhile, so a short flap to red is not lost).
 */
import type { CriterionStatus, GateResult, Overall } from '../core/types.js';
import { compactValue, STATUS_RANK, type GatePoint, type HistoryLine } from './format.js';

export const MIN_GAP_MS = 10_000;

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
      this.series.set(key, { lastAt: now, lastSig: cur.sig, ...(cur.status ? { lastStatus: cur.status } : {}) });
      out.push(cur.make(now));
      return;
    }
    const worst = worse(s.held?.worst, cur.status);
    const due = now - s.lastAt >= this.minGapMs;
    // Back to what was last written, but a worse status passed meanwhile: still worth a point.
    const flapped = worst !== undefined && s.lastStatus !== undefined && STATUS_RANK[worst] > STATUS_RANK[s.lastStatus] && worst !== cur.status;
    const same = statusOnly && cur.status !== undefined ? cur.status === s.lastStatus : cur.sig === s.lastSig;
    if (same && !flapped) {
      delete s.held;
      return;
    }
    if (!due) {
      s.held = { ...cur, ...(worst ? { worst } : {}) };
      return;
    }
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
