/**
 * The firing alerts announced on the feed, bounded. A flood of 10k distinct page alerts
 * used to keep every one with its summary and re-scan them all on each read, which stalled
 * the console long enough for its own pong deadline to kill the feed. Here:
 *
 * - counts (firing, page) are counters updated per message, so the `feed_page_alerts` gate
 *   reads a number and stays exact however many alerts fire;
 * - at most `maxKept` alerts are kept with their text; the rest are "+N more";
 * - for the counts to stay exact past that, each firing id is remembered (without its text)
 *   up to `maxTracked`. Beyond that an alert can no longer be matched to its `resolved`, so
 *   it is counted as firing for good: the gate fails closed rather than ever reaching 0
 *   while alerts it lost track of may still fire.
 *
 * Every method but `kept()` is O(1), or O(n) in the n texts it is asked for.
 */
import { createHash } from 'node:crypto';
import type { AlertMsg } from './protocol.js';

import { DEFAULT_MAX_FIRING_ALERTS } from '../config/sources/websocket.js';

// The default is the config's (config/sources/websocket.ts); named here for the book's callers.
export { DEFAULT_MAX_FIRING_ALERTS };
/** Ids longer than this are remembered by their hash, so a tracked id costs a bounded size. */
const ID_KEY_MAX = 128;

export interface KeptAlert {
  id: string;
  severity: string;
  state: string;
  summary?: string;
  ts: string;
}

export interface AlertCounts {
  /** Alerts firing now (any severity), exact while `untracked` is 0, a lower bound after. */
  firing: number;
  /** Of those, severity `page`: what the built-in gate compares with 0. */
  page: number;
  /** Firing alerts kept with their text (≤ maxKept). */
  kept: number;
  /** firing − kept: the "+N more". */
  more: number;
  /** Firing alerts counted for good because `maxTracked` ids were already remembered. */
  untracked: number;
}

interface Entry {
  page: boolean;
  kept?: KeptAlert;
}

export class AlertBook {
  private readonly tracked = new Map<string, Entry>();
  private readonly keptAll = new Map<string, KeptAlert>();
  /** The kept page alerts, oldest first: the gate's detail names the first few. */
  private readonly keptPages = new Map<string, KeptAlert>();
  private firing = 0;
  private page = 0;
  private untracked = 0;
  private readonly maxTracked: number;

  constructor(
    private readonly maxKept: number = DEFAULT_MAX_FIRING_ALERTS,
    maxTracked?: number,
  ) {
    this.maxTracked = Math.max(maxKept, maxTracked ?? Math.max(100_000, 100 * maxKept));
  }

  /** Anything not explicitly `resolved` keeps the alert firing: an unknown state fails closed. */
  ingest(m: AlertMsg): void {
    const key = keyOf(m.id);
    const page = m.severity === 'page';
    const entry = this.tracked.get(key);
    if (m.state === 'resolved') {
      if (entry) this.remove(key, entry);
      return;
    }
    if (entry) {
      if (entry.page !== page) {
        this.page += page ? 1 : -1;
        entry.page = page;
      }
      if (entry.kept) {
        entry.kept = view(m);
        this.keptAll.set(key, entry.kept);
        if (page) this.keptPages.set(key, entry.kept);
        else this.keptPages.delete(key);
      }
      return;
    }
    this.firing++;
    if (page) this.page++;
    if (this.tracked.size >= this.maxTracked) {
      this.untracked++;
      return;
    }
    const fresh: Entry = { page };
    if (this.keptAll.size < this.maxKept) {
      fresh.kept = view(m);
      this.keptAll.set(key, fresh.kept);
      if (page) this.keptPages.set(key, fresh.kept);
    }
    this.tracked.set(key, fresh);
  }

  counts(): AlertCounts {
    const kept = this.keptAll.size;
    return { firing: this.firing, page: this.page, kept, more: this.firing - kept, untracked: this.untracked };
  }

  /** The first `n` kept page alerts' texts (summary, else id), oldest first. */
  pageTexts(n: number): string[] {
    const out: string[] = [];
    for (const a of this.keptPages.values()) {
      if (out.length >= n) break;
      out.push(a.summary || a.id);
    }
    return out;
  }

  /** The kept alerts, oldest first (for views and tests; O(kept)). */
  kept(): KeptAlert[] {
    return [...this.keptAll.values()];
  }

  private remove(key: string, entry: Entry): void {
    this.tracked.delete(key);
    this.firing--;
    if (entry.page) this.page--;
    if (entry.kept) {
      this.keptAll.delete(key);
      this.keptPages.delete(key);
    }
  }
}

function keyOf(id: string): string {
  return id.length <= ID_KEY_MAX ? id : `#${createHash('sha256').update(id).digest('base64')}`;
}

function view(m: AlertMsg): KeptAlert {
  const a: KeptAlert = { id: m.id.length <= ID_KEY_MAX ? m.id : `${m.id.slice(0, ID_KEY_MAX - 1)}…`, severity: m.severity, state: m.state, ts: m.ts };
  if (m.summary !== undefined) a.summary = m.summary;
  return a;
}
