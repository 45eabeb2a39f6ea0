/**
 * The one evaluation core of a deployment window, pure: what the sources last said
 * (`ingest`), and the lights, the decision and each source's health at a moment
 * (`evaluate`). The console's paced loop (runtime/live.ts), `check` and `check --watch` all
 * evaluate through it, so the rules a source's data goes through (its health, the reason of a
 * gate it never fed, staleness) are the same everywhere. Gate memory (`for:` hysteresis) is the
 * caller's: passed in, returned updated.
 */
import type { Config } from '../config/types.js';
import type { Reading, Signoff, SourceHealth, Waiver } from '../core/types.js';
import { evaluateAll, type EngineOutput } from './evaluate.js';
import type { GateMemory } from './gate.js';

/** One read of one source (the poller's outcome, as far as evaluation cares). */
export interface SourceOutcome {
  sourceId: string;
  finishedAt: number;
  result: { ok: boolean; error?: string; readings: Readonly<Record<string, Reading>> };
}

/** The sign-offs and waivers that count now. */
export interface Authority {
  signoffs: readonly Signoff[];
  waivers: readonly Waiver[];
}

export interface WindowEvaluation extends EngineOutput {
  /** Each source's health at `now`: an up source whose last success is older than its stale_after is stale. */
  sources: Record<string, SourceHealth>;
  /** The same, sorted by source id. */
  sourceList: SourceHealth[];
}

export class EvaluationWindow {
  private readonly readings: Record<string, Reading> = {};
  private readonly health: Record<string, SourceHealth>;

  constructor(
    private readonly config: Pick<Config, 'gates' | 'decision' | 'sources'>,
    initialHealth: Readonly<Record<string, SourceHealth>> = {},
    /** The console and `check --watch` look again and again: judged gates then use the sequential rule. */
    private readonly opts: { repeatedLooks?: boolean } = {},
  ) {
    this.health = { ...initialHealth };
  }

  /**
   * One source's read. Readings persist across reads: a source that fails keeps its last
   * values, which then age past stale_after. Returns its health before and after.
   */
  ingest(o: SourceOutcome): { before: SourceHealth | undefined; after: SourceHealth } {
    const before = this.health[o.sourceId];
    const after: SourceHealth = { id: o.sourceId, type: before?.type ?? this.config.sources[o.sourceId]?.type ?? '?', state: o.result.ok ? 'up' : 'down', lastAttempt: o.finishedAt };
    const lastSuccess = o.result.ok ? o.finishedAt : before?.lastSuccess;
    if (lastSuccess !== undefined) after.lastSuccess = lastSuccess;
    if (o.result.error) after.error = o.result.error;
    this.health[o.sourceId] = after;
    Object.assign(this.readings, o.result.readings);
    return { before, after };
  }

  reading(probeId: string): Reading | undefined {
    return this.readings[probeId];
  }

  /** A copy of every latest reading, by probe id. */
  allReadings(): Record<string, Reading> {
    return { ...this.readings };
  }

  evaluate(now: number, authority: Authority, memory: Readonly<Record<string, GateMemory>> = {}): WindowEvaluation {
    const sourceErrors: Record<string, string> = {};
    for (const [id, h] of Object.entries(this.health)) if (h.state === 'down') sourceErrors[id] = h.error ?? 'no answer';
    const out = evaluateAll(this.config, { now, readings: this.readings, signoffs: authority.signoffs, waivers: authority.waivers, sourceErrors, ...(this.opts.repeatedLooks ? { repeatedLooks: true } : {}) }, memory);
    const sources: Record<string, SourceHealth> = {};
    for (const [id, h] of Object.entries(this.health)) {
      const src = this.config.sources[id];
      const stale = h.state === 'up' && src && h.lastSuccess !== undefined && now - h.lastSuccess > src.staleAfter;
      sources[id] = stale ? { ...h, state: 'stale' } : h;
    }
    const sourceList = Object.values(sources).sort((a, b) => a.id.localeCompare(b.id));
    return { ...out, sources, sourceList };
  }
}
