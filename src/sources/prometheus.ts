/**
 * `prometheus` source: instant queries against `/api/v1/query`, batched (promBatch.ts: up to 50
 * gates in one request, each gate's answer and error as if asked alone), a few requests in flight
 * at a time over kept-alive connections (promHttp.ts); the first source-wide failure stops the
 * rest. A query must give a scalar or a one-series vector; anything else is that probe's error.
 * An unreachable/failing server is a source error, so stale data is never shown as fresh.
 */
import type { PrometheusSource } from '../config/types.js';
import type { Reading } from '../core/types.js';
import { oneLine } from '../util/sanitize.js';
import { parseFloatToken } from './exposition.js';
import { mapBounded } from '../util/mapBounded.js';
import { displayUrl } from '../util/url.js';
import { requestFailure, scrub, type HttpGetResult } from './http.js';
import { PROM_CONCURRENCY, promGet } from './promHttp.js';
import { DEFAULT_MAX_CLOCK_SKEW_MS, sampleTime } from './sampleTime.js';
import { batchQuery, groupParts, selfContained, severalSeries, splitBatch } from './promBatch.js';
import type { Probe, ReadContext, SourceAdapter, SourceResult } from './types.js';
import { queryRange } from './promRange.js';
import { checkApiAnswer } from './promApi.js';

/** `vector`: the query answered with an instant vector (empty or not), so it can go in a batch. */
type ProbeOutcome = { kind: 'reading'; reading: Reading; vector?: true } | { kind: 'source'; error: string };

/** Query used to check the server when no probe is configured on it. */
const HEALTH_QUERY = '1';

export function createPrometheusSource(cfg: PrometheusSource): SourceAdapter {
  const endpoint = cfg.url.replace(/\/+$/, '') + '/api/v1/query';
  const where = `GET ${displayUrl(endpoint)}`;

  async function query(q: string, ctx: ReadContext): Promise<ProbeOutcome> {
    let res: HttpGetResult;
    try {
      res = await promGet(endpoint, {
        headers: cfg.headers,
        params: { query: q },
        timeoutMs: cfg.timeout,
        followRedirects: cfg.followRedirects ?? false,
        signal: ctx.signal,
      });
    } catch (err) {
      return { kind: 'source', error: requestFailure(err, where) };
    }
    return interpretResponse(res, ctx.clock.now(), (e) => scrub(`${where}: ${e}`, cfg.headers), cfg.maxClockSkew ?? DEFAULT_MAX_CLOCK_SKEW_MS);
  }

  // A query that, asked alone after its batch was refused, is not an instant vector (a scalar, an
  // error) is asked alone from then on: it must not cost a refused batch every read. Batching is
  // off for good once a batch times out, is refused on the way (a proxy), or is answered in a
  // way Prometheus does not: that server is asked one query at a time, as before batching.
  const state: BatchState = { alone: new Set(), batching: true };

  return {
    id: cfg.id,
    type: 'prometheus',
    async read(probes: Probe[], ctx: ReadContext): Promise<SourceResult> {
      if (probes.length === 0) {
        const out = await query(HEALTH_QUERY, ctx);
        return out.kind === 'source' ? { ok: false, error: out.error, readings: {} } : { ok: true, readings: {} };
      }
      const tasks = planTasks(probes, state.batching ? state.alone : undefined);
      const outcomes: (ProbeOutcome | undefined)[] = new Array(probes.length);
      const retry: number[] = [];
      let failed: string | undefined;
      const one = async (i: number): Promise<ProbeOutcome> => {
        const p = probes[i]!;
        const q = queryOf(p);
        if (!q) return { kind: 'reading', reading: { value: null, observedAt: ctx.clock.now(), error: 'no query given for this probe' } };
        return p.range ? queryRange(cfg, q, p.range, ctx) : query(q, ctx);
      };
      const settle = (i: number, o: ProbeOutcome, stop: () => void) => {
        outcomes[i] = o;
        // The server is down or refusing: the rest would only say the same, later.
        if (o.kind === 'source') {
          failed ??= o.error;
          stop();
        }
      };
      await mapBounded(tasks, PROM_CONCURRENCY, async (t, stop) => {
        if ('one' in t) return settle(t.one, await one(t.one), stop);
        const got = await askBatch(cfg, endpoint, state, t.batch.map((i) => queryOf(probes[i]!)!), ctx);
        if (got) t.batch.forEach((i, k) => settle(i, got[k]!, stop));
        else retry.push(...t.batch);
      });
      if (failed === undefined && retry.length > 0) {
        let culprits = 0;
        await mapBounded(retry, PROM_CONCURRENCY, async (i, stop) => {
          const o = await one(i);
          if (o.kind === 'reading' && !o.vector) (state.alone.add(queryOf(probes[i]!)!), culprits++);
          settle(i, o, stop);
        });
        // A batch refused with no part failing alone would be refused again: stop batching.
        if (culprits === 0 && failed === undefined) state.batching = false;
      }
      if (failed !== undefined) return { ok: false, error: failed, readings: {} };
      const readings: Record<string, Reading> = {};
      probes.forEach((p, i) => {
        const o = outcomes[i];
        if (o?.kind === 'reading') readings[p.id] = o.reading;
      });
      return { ok: true, readings };
    },
  };
}

interface BatchState {
  alone: Set<string>;
  batching: boolean;
}

/** One batch's outcomes, part by part; or undefined: ask each part alone. */
async function askBatch(cfg: PrometheusSource, endpoint: string, state: BatchState, parts: readonly string[], ctx: ReadContext): Promise<ProbeOutcome[] | undefined> {
  const where = `POST ${displayUrl(endpoint)}`;
  let res: HttpGetResult;
  try {
    res = await promGet(endpoint, { headers: cfg.headers, form: { query: batchQuery(parts) }, timeoutMs: cfg.timeout, signal: ctx.signal });
  } catch (err) {
    if (ctx.signal.aborted) return parts.map(() => ({ kind: 'source', error: requestFailure(err, where) }));
    // Timed out or too large, the batch may have been too much: asked alone from now on (a hung
    // server then costs a second timeout). Refused, unreachable, TLS: asked alone, each says so.
    if (/timed out|larger than/.test(String((err as Error).message))) state.batching = false;
    return undefined;
  }
  const answer = checkApiAnswer(res);
  if ('source' in answer) {
    // A 5xx is the server's trouble, as it would be for one query (unless it is Prometheus's own
    // query timeout: then the batch was too much); anything else is the POST refused on the way.
    if (res.status >= 500 && !/"errorType"\s*:\s*"timeout"/.test(res.body)) {
      const error = scrub(`${where}: ${answer.source}`, cfg.headers);
      return parts.map(() => ({ kind: 'source', error }));
    }
    state.batching = false;
    return undefined;
  }
  if ('probe' in answer) return undefined;
  const split = splitBatch(answer.body.data, parts.length);
  if (!split) {
    state.batching = false;
    return undefined;
  }
  const readAt = ctx.clock.now();
  const skew = cfg.maxClockSkew ?? DEFAULT_MAX_CLOCK_SKEW_MS;
  return split.map((a) => ('error' in a ? probeOutcome(a.error, readAt) : (pointReading(a.point, readAt, skew) ?? probeOutcome('malformed vector result', readAt))));
}

type Task = { batch: number[] } | { one: number };

const queryOf = (p: Probe) => p.query ?? p.metric;

/**
 * Pure: instant queries in batches (`alone` holds the queries asked one at a time; undefined:
 * batching is off), range reads and the rest one by one. Indexes into `probes`.
 */
export function planTasks(probes: readonly Probe[], alone: ReadonlySet<string> | undefined): Task[] {
  const batchable = alone ? probes.flatMap((p, i) => (queryOf(p) && !p.range && !alone.has(queryOf(p)!) && selfContained(queryOf(p)!) ? [i] : [])) : [];
  const grouped = batchable.length >= 2 ? groupParts(batchable, (i) => queryOf(probes[i]!)!) : [];
  const inBatch = new Set(grouped.flat());
  return [...grouped.map((g): Task => (g.length > 1 ? { batch: g } : { one: g[0]! })), ...probes.flatMap((_, i): Task[] => (inBatch.has(i) ? [] : [{ one: i }]))];
}

/** Pure: an HTTP answer of /api/v1/query → a reading, or a source-wide error. */
export function interpretResponse(res: HttpGetResult, readAt: number, sourceError: (e: string) => string, maxSkewMs = DEFAULT_MAX_CLOCK_SKEW_MS): ProbeOutcome {
  const probeError = (e: string): ProbeOutcome => probeOutcome(e, readAt);
  const answer = checkApiAnswer(res);
  if ('source' in answer) return { kind: 'source', error: sourceError(answer.source) };
  if ('probe' in answer) return probeError(answer.probe);
  const body = answer.body;
  const data = body.data;
  const type = data?.resultType;
  const result = data?.result;
  if (type === 'scalar') return pointReading(result, readAt, maxSkewMs) ?? probeError('malformed scalar result');
  if (type === 'vector') {
    if (!Array.isArray(result)) return probeError('malformed vector result');
    const first = result[0] as { value?: unknown } | undefined;
    const o = result.length === 0 ? probeError('query returned no series') : result.length > 1 ? probeError(severalSeries(result.map(labelsOf))) : (pointReading(first?.value, readAt, maxSkewMs) ?? probeError('malformed vector result'));
    return o.kind === 'reading' ? { ...o, vector: true } : o;
  }
  if (type === 'matrix') return probeError('query returned a range vector (matrix); use an instant vector or a scalar');
  if (type === 'string') return probeError('query returned a string; use an instant vector or a scalar');
  return probeError(`unexpected result type ${oneLine(JSON.stringify(type ?? null), 40)}`);
}

function probeOutcome(error: string, readAt: number): ProbeOutcome {
  return { kind: 'reading', reading: { value: null, observedAt: readAt, error: oneLine(error) } };
}

/** `[1712345678.123, "0.93"]` → reading observed at the evaluation time, never later than we received it. */
function pointReading(point: unknown, readAt: number, maxSkewMs: number): ProbeOutcome | undefined {
  if (!Array.isArray(point) || point.length !== 2) return undefined;
  const [ts, raw] = point as [unknown, unknown];
  if (typeof raw !== 'string' || typeof ts !== 'number' || !Number.isFinite(ts)) return undefined;
  const value = parseFloatToken(raw);
  if (value === undefined) return { kind: 'reading', reading: { value: null, observedAt: readAt, error: oneLine(`unparsable sample value ${JSON.stringify(raw)}`, 120) } };
  const t = sampleTime(Math.round(ts * 1000), readAt, maxSkewMs);
  const reading: Reading = { value, observedAt: t.observedAt };
  if (t.warning) reading.warnings = [t.warning];
  return { kind: 'reading', reading };
}

function labelsOf(r: unknown): Record<string, string> {
  const m = (r as { metric?: unknown } | null)?.metric;
  const out: Record<string, string> = {};
  if (m && typeof m === 'object') {
    for (const [k, v] of Object.entries(m as Record<string, unknown>)) out[k] = String(v);
  }
  return out;
}
