/**
 * Range queries for judged gates on a `prometheus` source: `/api/v1/query_range` over [now − window, now]
 * at `step`, through the same Prometheus API client as instant queries (`promGet`: kept-alive, uncompressed).
 * A Prometheus error is the source's (server down, 5xx) or the query's (bad PromQL); a query giving
 * no series or several is the gate's UNKNOWN with a reason, because one series per side is judged.
 */
import type { PrometheusSource } from '../config/types.js';
import type { Reading } from '../core/types.js';
import { oneLine } from '../util/sanitize.js';
import { parseFloatToken } from './exposition.js';
import { requestFailure, scrub, type HttpGetResult } from './http.js';
import { promGet } from './promHttp.js';
import { checkApiAnswer } from './promApi.js';
import { displayUrl } from '../util/url.js';
import { DEFAULT_MAX_CLOCK_SKEW_MS, sampleTime } from './sampleTime.js';
import type { Probe, ReadContext } from './types.js';

export type RangeOutcome = { kind: 'reading'; reading: Reading } | { kind: 'source'; error: string };

/** What the window's series is for, so a reason can say why one series is needed. */
export type RangeRole = NonNullable<Probe['range']>['role'];

export async function queryRange(cfg: PrometheusSource, q: string, range: NonNullable<Probe['range']>, ctx: ReadContext): Promise<RangeOutcome> {
  const endpoint = cfg.url.replace(/\/+$/, '') + '/api/v1/query_range';
  const where = `GET ${displayUrl(endpoint)}`;
  const now = ctx.clock.now();
  // The grid is aligned to the step, so every look within a step sees the same points and a new point
  // arrives once per step (the repeated-looks rule consumes each once).
  const end = (Math.floor(now / range.step) * range.step) / 1000;
  let res: HttpGetResult;
  try {
    res = await promGet(endpoint, {
      headers: cfg.headers,
      params: { query: q, start: (end - range.window / 1000).toFixed(3), end: end.toFixed(3), step: `${range.step / 1000}s` },
      timeoutMs: cfg.timeout,
      followRedirects: cfg.followRedirects ?? false,
      signal: ctx.signal,
    });
  } catch (err) {
    return { kind: 'source', error: requestFailure(err, where) };
  }
  return interpretRange(res, now, range.role, (e) => scrub(`${where}: ${e}`, cfg.headers), cfg.maxClockSkew ?? DEFAULT_MAX_CLOCK_SKEW_MS);
}

const NEEDS: Record<RangeRole, string> = {
  canary: 'compare needs one per side',
  baseline: 'compare needs one per side',
  series: 'trend needs one',
};

/** Pure: an answer of /api/v1/query_range → the window's series as a reading, or a source-wide error. */
export function interpretRange(res: HttpGetResult, readAt: number, role: RangeRole, sourceError: (e: string) => string, maxSkewMs = DEFAULT_MAX_CLOCK_SKEW_MS): RangeOutcome {
  const side = role === 'series' ? '' : `${role}: `;
  const probeError = (e: string): RangeOutcome => ({ kind: 'reading', reading: { value: null, observedAt: readAt, error: oneLine(side + e) } });
  const answer = checkApiAnswer(res);
  if ('source' in answer) return { kind: 'source', error: sourceError(answer.source) };
  if ('probe' in answer) return probeError(answer.probe);
  const body = answer.body;
  const result = body.data?.result;
  if (body.data?.resultType !== 'matrix' || !Array.isArray(result)) return probeError('malformed range result (expected a matrix)');
  if (result.length !== 1) {
    const what = result.length === 0 ? 'returns no series in the window' : `returns ${result.length} series`;
    return probeError(`${what}; ${NEEDS[role]}${result.length > 1 ? ' — aggregate it' : ''}`);
  }
  const values = (result[0] as { values?: unknown }).values;
  if (!Array.isArray(values)) return probeError('malformed range result (no values)');
  const series: { t: number; v: number }[] = [];
  for (const point of values) {
    if (!Array.isArray(point) || point.length !== 2 || typeof point[0] !== 'number' || typeof point[1] !== 'string') return probeError('malformed range result (a point is not [time, "value"])');
    const v = parseFloatToken(point[1]);
    if (v === undefined) return probeError(`unparsable sample value ${JSON.stringify(point[1]).slice(0, 40)}`);
    series.push({ t: sampleTime(Math.round(point[0] * 1000), readAt, maxSkewMs).observedAt, v });
  }
  if (series.length === 0) return probeError(`returns no samples in the window; ${NEEDS[role]}`);
  const last = series[series.length - 1]!;
  return { kind: 'reading', reading: { value: last.v, observedAt: last.t, series } };
}
