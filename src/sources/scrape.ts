/**
 * `scrape` source: one GET of a Prometheus text exposition per read; each probe's `metric`
 * selector must match exactly one sample, because picking one of several silently would
 * show a number nobody asked for.
 */
import type { ScrapeSource } from '../config/types.js';
import type { Reading } from '../core/types.js';
import { oneLine } from '../util/sanitize.js';
import { ExpositionError, parseExposition, type ExpoSample } from './exposition.js';
import { httpGet, requestFailure, scrub, statusText } from './http.js';
import { displayUrl } from '../util/url.js';
import { DEFAULT_MAX_CLOCK_SKEW_MS, sampleTime } from './sampleTime.js';
import { formatLabels, parseSelector, SampleIndex, type Selector } from './selector.js';
import type { Probe, ReadContext, SourceAdapter, SourceResult } from './types.js';

const ACCEPT = 'text/plain;version=0.0.4;q=1,*/*;q=0.1';

export function createScrapeSource(cfg: ScrapeSource): SourceAdapter {
  // Selectors are parsed once; a bad one becomes that probe's error, not a crash.
  const cache = new Map<string, Selector | Error>();
  const selectorFor = (text: string): Selector | Error => {
    let s = cache.get(text);
    if (!s) {
      try {
        s = parseSelector(text);
      } catch (err) {
        s = err instanceof Error ? err : new Error(String(err));
      }
      cache.set(text, s);
    }
    return s;
  };

  return {
    id: cfg.id,
    type: 'scrape',
    async read(probes: Probe[], ctx: ReadContext): Promise<SourceResult> {
      const where = `GET ${displayUrl(cfg.url)}`;
      let body: string;
      try {
        const res = await httpGet(cfg.url, {
          headers: { accept: ACCEPT, ...cfg.headers },
          timeoutMs: cfg.timeout,
          followRedirects: cfg.followRedirects ?? false,
          signal: ctx.signal,
        });
        if (res.status < 200 || res.status > 299) {
          return { ok: false, error: scrub(`${where}: ${statusText(res)}`, cfg.headers), readings: {} };
        }
        body = res.body;
      } catch (err) {
        return { ok: false, error: requestFailure(err, where), readings: {} };
      }
      const readAt = ctx.clock.now();
      let samples: ExpoSample[];
      try {
        samples = parseExposition(body).samples;
      } catch (err) {
        const why = err instanceof ExpositionError ? `unparsable exposition at ${err.message}` : `unparsable exposition: ${String(err)}`;
        return { ok: false, error: oneLine(`${where}: ${why}`), readings: {} };
      }
      const index = new SampleIndex(samples);
      const readings: Record<string, Reading> = {};
      for (const p of probes) readings[p.id] = readProbe(p, index, readAt, selectorFor, cfg.maxClockSkew ?? DEFAULT_MAX_CLOCK_SKEW_MS);
      return { ok: true, readings };
    },
  };
}

function readProbe(
  probe: Probe,
  samples: SampleIndex,
  readAt: number,
  selectorFor: (t: string) => Selector | Error,
  maxSkewMs: number,
): Reading {
  const text = probe.metric ?? probe.query;
  if (!text) return { value: null, observedAt: readAt, error: 'no metric given for this probe' };
  const sel = selectorFor(text);
  if (sel instanceof Error) return { value: null, observedAt: readAt, error: oneLine(sel.message) };
  const found = samples.select(sel);
  if (found.length === 0) return { value: null, observedAt: readAt, error: oneLine(`no series matches ${sel.text}`) };
  if (found.length > 1) {
    return { value: null, observedAt: readAt, error: oneLine(manySeries(found.length, sel.text, found)) };
  }
  const s = found[0]!;
  // Non-finite values are passed on as numbers: the engine fails them closed and shows them.
  if (s.timestampMs === undefined) return { value: s.value, observedAt: readAt };
  const t = sampleTime(s.timestampMs, readAt, maxSkewMs);
  return t.warning ? { value: s.value, observedAt: t.observedAt, warnings: [t.warning] } : { value: s.value, observedAt: t.observedAt };
}

export function manySeries(count: number, what: string, series: { name?: string; labels: Record<string, string> }[]): string {
  const shown = series.slice(0, 3).map((s) => `${s.name ?? ''}${formatLabels(s.labels)}`);
  const more = count > 3 ? `, … (${count - 3} more)` : '';
  return `${count} series match ${what}; add label matchers: ${shown.join(', ')}${more}`;
}
