/**
 * `http` source (SPEC §9.3): each gate is one request of its own (path joined to the source
 * url, or its own url), in parallel; its value is the status code, a JSONPath into the body,
 * a header, or the latency. Failures are the gate's error in words, so they show UNKNOWN and
 * never GO. The source counts as up when at least one request got an HTTP answer.
 */
import type { HttpProbeSpec, HttpSource } from '../config/types.js';
import type { Reading } from '../core/types.js';
import { sameOrigin } from '../util/redirects.js';
import { oneLine } from '../util/sanitize.js';
import { httpRequest, requestFailure, scrub, type HttpGetResult } from './http.js';
import { displayUrl } from '../util/url.js';
import { httpValue } from './httpValue.js';
import { DEFAULT_MAX_CLOCK_SKEW_MS, sampleTime } from './sampleTime.js';
import type { Probe, ReadContext, SourceAdapter, SourceResult } from './types.js';

/** An http gate's answer is read for a value, not stored: a few MiB is plenty. */
const MAX_BYTES = 4 * 1024 * 1024;

type Outcome = { answered: true; reading: Reading } | { answered: false; reading: Reading; error: string };

export function createHttpCheckSource(cfg: HttpSource): SourceAdapter {
  const health: HttpProbeSpec = { url: cfg.url, method: 'GET', headers: {}, value: { kind: 'status' } };

  async function readOne(spec: HttpProbeSpec, ctx: ReadContext): Promise<Outcome> {
    const headers = requestHeaders(cfg, spec);
    let body = spec.body;
    if (spec.jsonBody !== undefined) {
      body = JSON.stringify(spec.jsonBody);
      if (!('content-type' in headers)) headers['content-type'] = 'application/json';
    }
    if (spec.value.kind === 'json_path' && !('accept' in headers)) headers.accept = 'application/json';
    let res: HttpGetResult;
    try {
      res = await httpRequest(spec.url, {
        method: spec.method,
        headers,
        ...(body !== undefined ? { body } : {}),
        timeoutMs: spec.timeout ?? cfg.timeout,
        maxBytes: MAX_BYTES,
        followRedirects: cfg.followRedirects ?? false,
        signal: ctx.signal,
      });
    } catch (err) {
      const error = requestFailure(err, `${spec.method} ${displayUrl(spec.url)}`, headers);
      return { answered: false, error, reading: { value: null, observedAt: ctx.clock.now(), error } };
    }
    const receivedAt = ctx.clock.now();
    const t = observedAt(res, receivedAt, cfg.maxClockSkew ?? DEFAULT_MAX_CLOCK_SKEW_MS);
    const warnings = t.warning ? [t.warning] : [];
    const out = httpValue(res, spec.value);
    const reading: Reading = { value: null, observedAt: t.observedAt, detail: scrub(detailOf(spec, res), headers) };
    if (out.ok) {
      reading.value = out.value;
      if (out.warning) warnings.push(out.warning);
    } else reading.error = scrub(out.error, headers);
    if (warnings.length) reading.warnings = warnings.map((w) => scrub(w, headers));
    return { answered: true, reading };
  }

  return {
    id: cfg.id,
    type: 'http',
    async read(probes: Probe[], ctx: ReadContext): Promise<SourceResult> {
      if (probes.length === 0) {
        const o = await readOne(health, ctx);
        return o.answered ? { ok: true, readings: {} } : { ok: false, error: o.error, readings: {} };
      }
      const outcomes = await Promise.all(probes.map(async (p) => [p.id, await readOne(p.http ?? health, ctx)] as const));
      const readings: Record<string, Reading> = {};
      for (const [id, o] of outcomes) readings[id] = o.reading;
      const failed = outcomes.find(([, o]) => !o.answered)?.[1];
      const answered = outcomes.some(([, o]) => o.answered);
      // Readings go with a down source too: each gate then says why in its own words.
      if (!answered && failed && !failed.answered) return { ok: false, error: failed.error, readings };
      return { ok: true, readings };
    },
  };
}

/**
 * The source's headers go only to the source's own origin (a gate `url:` elsewhere must not
 * receive its token); the gate's headers win over them, whatever the spelling.
 */
export function requestHeaders(cfg: Pick<HttpSource, 'url' | 'headers'>, spec: Pick<HttpProbeSpec, 'url' | 'headers'>): Record<string, string> {
  const out: Record<string, string> = {};
  if (sameOrigin(spec.url, cfg.url)) for (const [k, v] of Object.entries(cfg.headers)) out[k.toLowerCase()] = v;
  for (const [k, v] of Object.entries(spec.headers)) out[k.toLowerCase()] = v;
  return out;
}

/**
 * The answer's Date header is the source's clock: a cached answer (CDN, proxy) is as old as
 * its Date and ages out like any stale sample; a Date ahead of us is clamped and warned about.
 */
function observedAt(res: HttpGetResult, receivedAt: number, maxSkewMs: number): { observedAt: number; warning?: string } {
  const date = res.headers?.date;
  const ms = typeof date === 'string' ? Date.parse(date) : NaN;
  if (!Number.isFinite(ms)) return { observedAt: receivedAt };
  // Date has whole seconds: an answer from this second is not older than it was received.
  if (ms <= receivedAt && receivedAt - ms < 1000) return { observedAt: receivedAt };
  return sampleTime(ms, receivedAt, maxSkewMs);
}

function detailOf(spec: HttpProbeSpec, res: HttpGetResult): string {
  const ms = res.elapsedMs !== undefined ? ` in ${Math.round(res.elapsedMs)} ms` : '';
  return oneLine(`${spec.method} ${displayUrl(spec.url)} → HTTP ${res.status}${res.statusText ? ' ' + res.statusText : ''}${ms}`, 300);
}
