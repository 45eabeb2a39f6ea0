/**
 * Many instant queries in one request: each part wrapped in `label_replace` with its index, the
 * parts joined with `or`, the answer's series split back by that label. Prometheus then answers
 * 1,000 gates in ~20 requests instead of 1,000 (BENCHMARKS.md, issue 23). Pure: building the
 * query and reading its answer; the adapter (prometheus.ts) decides when to fall back.
 *
 * A part that is not an instant vector (a scalar, a string, a range vector) or fails on its own
 * makes Prometheus refuse the whole batch; the adapter then asks each part alone, so every gate
 * keeps its own answer and its own error, exactly as without batching.
 */
import { manySeries } from './scrape.js';

/** The label that tells the parts apart (a user query cannot keep it: label_replace sets it). */
export const PART_LABEL = '__warroom_part';

/** Parts per batch: 1,000 gates took 112 ms in batches of 50, 128 ms of 100, 539 ms as one (BENCHMARKS.md). */
export const BATCH_MAX_PARTS = 50;

/** Bytes of PromQL per batch: a form body, so no URL limit; this bounds what one slow batch holds. */
export const BATCH_MAX_CHARS = 32 * 1024;

/**
 * True when `q` cannot reach out of the parentheses it is wrapped in: its brackets balance
 * outside string literals and it holds no comment (`#` to the end of the line). Two broken
 * queries could otherwise make one valid batch whose series land on the wrong gates; a query
 * that is not self-contained is asked alone.
 */
export function selfContained(q: string): boolean {
  const open: string[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  for (let i = 0; i < q.length; i++) {
    const c = q[i]!;
    if (c === '"' || c === "'" || c === '`') {
      // A string literal: backslash escapes, except in raw (backtick) strings.
      for (i++; i < q.length && q[i] !== c; i++) if (q[i] === '\\' && c !== '`') i++;
      if (i >= q.length) return false;
    } else if (c === '#') return false;
    else if (c === '(' || c === '[' || c === '{') open.push(c);
    else if (c in pairs && open.pop() !== pairs[c]) return false;
  }
  return open.length === 0;
}

export function batchQuery(parts: readonly string[]): string {
  return parts.map((q, i) => `label_replace((${q}), "${PART_LABEL}", "${i}", "", "")`).join(' or ');
}

/** Consecutive groups of at most `maxParts` queries and `maxChars` of text (a longer query stands alone). */
export function groupParts<T>(items: readonly T[], text: (t: T) => string, maxParts = BATCH_MAX_PARTS, maxChars = BATCH_MAX_CHARS): T[][] {
  const out: T[][] = [];
  let cur: T[] = [];
  let chars = 0;
  for (const it of items) {
    const n = text(it).length + 40;
    if (cur.length > 0 && (cur.length >= maxParts || chars + n > maxChars)) {
      out.push(cur);
      cur = [];
      chars = 0;
    }
    cur.push(it);
    chars += n;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

/** Why a gate's query answering with several series has no one value (alone or in a batch). */
export function severalSeries(labelSets: Record<string, string>[]): string {
  const named = labelSets.map((labels) => ({ name: labels.__name__ ?? '', labels }));
  return manySeries(labelSets.length, 'the query', named).replace('add label matchers', 'aggregate or add label matchers');
}

export type PartAnswer = { point: unknown } | { error: string };

/**
 * The batch's `data` → one answer per part: its single series' `[ts, "value"]`, or why not
 * (no series, several). Undefined when the answer is not a clean batch answer (not a vector,
 * a series without a valid part label): the caller asks each part alone.
 */
export function splitBatch(data: { resultType?: unknown; result?: unknown } | undefined, count: number): PartAnswer[] | undefined {
  if (data?.resultType !== 'vector' || !Array.isArray(data.result)) return undefined;
  const byPart: { labels: Record<string, string>; value: unknown }[][] = Array.from({ length: count }, () => []);
  for (const r of data.result as unknown[]) {
    const metric = (r as { metric?: unknown } | null)?.metric;
    if (!metric || typeof metric !== 'object') return undefined;
    const { [PART_LABEL]: tag, ...labels } = metric as Record<string, unknown>;
    const i = typeof tag === 'string' && /^\d+$/.test(tag) ? Number(tag) : -1;
    if (!(i >= 0 && i < count)) return undefined;
    byPart[i]!.push({ labels: Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, String(v)])), value: (r as { value?: unknown }).value });
  }
  return byPart.map((series): PartAnswer => {
    if (series.length === 0) return { error: 'query returned no series' };
    if (series.length > 1) return { error: severalSeries(series.map((s) => s.labels)) };
    return { point: series[0]!.value };
  });
}
