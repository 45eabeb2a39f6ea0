/**
 * `prometheus` source: one instant query per probe against `/api/v1/query`, a few in flight at a
 * time over kept-alive connections (promHttp.ts); the first source-wide failure stops the rest.
 * A query must give a scalar or a one-series vector; anything else is that probe's error.
 * An unreachable/failing server is a source error, so stale data is never shown as fresh.
 */
import type { PrometheusSource } from '../config/types.js';
import type { Reading } from '../core/types.js';
import { oneLine } from '../util/sanitize.js';
import { parseFloatToken } from './exposition.js';
import { mapBounded } from '../util/mapBounded.js';
import { displayUrl } from '../util/url.js';
import { HttpSourceError, scrub, type HttpGetResult } from './http.js';
import { PROM_CONCURRENCY, promGet } from './promHttp.js';
import { DEFAULT_MAX_CLOCK_SKEW_MS, sampleTime } from './sampleTime.js';
import { manySeries } from './scrape.js';
import type { Probe, ReadContext, SourceAdapter, SourceResult } from './types.js';
import { queryRange } from './promRange.js';
import { checkApiAnswer } from './promApi.js';

type ProbeOutcome = { kind: 'reading'; reading: Reading } | { kind: 'source'; error: string };

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
      return { kind: 'source', error: err instanceof HttpSourceError ? err.message : `${where}: ${oneLine(String(err))}` };
    }
    return interpretResponse(res, ctx.clock.now(), (e) => scrub(`${where}: ${e}`, cfg.headers), cfg.maxClockSkew ?? DEFAULT_MAX_CLOCK_SKEW_MS);
  }

  return {
    id: cfg.id,
    type: 'prometheus',
    async read(probes: Probe[], ctx: ReadContext): Promise<SourceResult> {
      if (probes.length === 0) {
        const out = await query(HEALTH_QUERY, ctx);
        return out.kind === 'source' ? { ok: false, error: out.error, readings: {} } : { ok: true, readings: {} };
      }
      let failed: string | undefined;
      const outcomes = await mapBounded(probes, PROM_CONCURRENCY, async (p, stop): Promise<ProbeOutcome> => {
        const q = p.query ?? p.metric;
        if (!q) return { kind: 'reading', reading: { value: null, observedAt: ctx.clock.now(), error: 'no query given for this probe' } };
        const o = p.range ? await queryRange(cfg, q, p.range, ctx) : await query(q, ctx);
        // The server is down or refusing: the rest would only say the same, later.
        if (o.kind === 'source') {
          failed ??= o.error;
          stop();
        }
        return o;
      });
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

/** Pure: an HTTP answer of /api/v1/query → a reading, or a source-wide error. */
export function interpretResponse(res: HttpGetResult, readAt: number, sourceError: (e: string) => string, maxSkewMs = DEFAULT_MAX_CLOCK_SKEW_MS): ProbeOutcome {
  const probeError = (e: string): ProbeOutcome => ({ kind: 'reading', reading: { value: null, observedAt: readAt, error: oneLine(e) } });
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
    if (result.length === 0) return probeError('query returned no series');
    if (result.length > 1) {
      const series = result.map((r: unknown) => {
        const labels = labelsOf(r);
        return { name: labels.__name__ ?? '', labels };
      });
      return probeError(manySeries(result.length, 'the query', series).replace('add label matchers', 'aggregate or add label matchers'));
    }
    const first = result[0] as { value?: unknown } | undefined;
    return pointReading(first?.value, readAt, maxSkewMs) ?? probeError('malformed vector result');
  }
  if (type === 'matrix') return probeError('query returned a range vector (matrix); use an instant vector or a scalar');
  if (type === 'string') return probeError('query returned a string; use an instant vector or a scalar');
  return probeError(`unexpected result type ${oneLine(JSON.stringify(type ?? null), 40)}`);
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
