/**
 * `alertmanager` source: Alertmanager's v2 API (or Grafana's compatible one under `base_path`).
 * A gate's value is the number of active, unsilenced, uninhibited alerts its `filter` selects;
 * Alertmanager does the selecting (repeated `filter=` parameters), so an endpoint that ignored
 * the filter would over-count, which fails closed. With `silences: warn` a pass is held at WARN
 * when a silence mutes one of the gate's alerts now (the alert's `status.silencedBy`, as
 * Alertmanager itself judged it, whatever labels the silence names), or when an active silence
 * matches the filter (rule in alertMatch.ts) and would mute the next page: a muted page is
 * exactly what must not pass quietly during a window.
 */
import type { AlertmanagerSource } from '../config/types.js';
import type { Reading } from '../core/types.js';
import { oneLine } from '../util/sanitize.js';
import { parseMatcher, silenceMatchers, silenceMatchesFilter, type Matcher } from './alertMatch.js';
import { httpGet, requestFailure, scrub, statusText, type HttpGetResult } from './http.js';
import { displayUrl } from '../util/url.js';
import type { Probe, ReadContext, SourceAdapter, SourceResult } from './types.js';

/** An alert list larger than this is refused rather than parsed (a storm must not exhaust memory). */
export const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
/** Alerts named in the gate's reason and detail; the rest are counted. */
export const MAX_LISTED_ALERTS = 10;
/** Silences named in a held gate's reason; the rest are counted. */
export const MAX_LISTED_SILENCES = 3;

type Fetched = { ok: true; body: unknown } | { ok: false; source: boolean; error: string };

export function createAlertmanagerSource(cfg: AlertmanagerSource): SourceAdapter {
  const base = cfg.url.replace(/\/+$/, '') + (cfg.basePath ?? '');
  const alertsUrl = `${base}/api/v2/alerts`;
  const silencesUrl = `${base}/api/v2/silences`;

  async function getJson(url: string, params: URLSearchParams | undefined, ctx: ReadContext): Promise<Fetched> {
    const where = `GET ${displayUrl(url)}`;
    let res: HttpGetResult;
    try {
      res = await httpGet(url, {
        headers: { accept: 'application/json', ...cfg.headers },
        ...(params ? { searchParams: params } : {}),
        timeoutMs: cfg.timeout,
        followRedirects: cfg.followRedirects ?? false,
        maxBytes: MAX_RESPONSE_BYTES,
        signal: ctx.signal,
      });
    } catch (err) {
      return { ok: false, source: true, error: requestFailure(err, where, cfg.headers) };
    }
    if (res.status < 200 || res.status > 299) {
      // 400 is Alertmanager refusing this gate's filter; anything else is the server's trouble.
      const text = res.status === 400 && !res.refusedRedirect ? `filter refused (HTTP 400): ${oneLine(res.body, 200)}` : statusText(res);
      return { ok: false, source: res.status !== 400, error: scrub(`${where}: ${text}`, cfg.headers) };
    }
    try {
      return { ok: true, body: JSON.parse(res.body) as unknown };
    } catch {
      return { ok: false, source: true, error: `${where}: the answer is not JSON (check url and base_path)` };
    }
  }

  // With `silences: warn` the silenced alerts are asked for too (and not counted), so the gate
  // sees what each silence mutes.
  const alertParams = (filter: readonly string[], withSilenced = false) => {
    const q = new URLSearchParams({ active: 'true', silenced: String(withSilenced), inhibited: 'false' });
    for (const f of filter) q.append('filter', f.trim());
    return q;
  };

  return {
    id: cfg.id,
    type: 'alertmanager',
    async read(probes: Probe[], ctx: ReadContext): Promise<SourceResult> {
      if (probes.length === 0) {
        const health = await getJson(alertsUrl, alertParams([]), ctx);
        if (!health.ok) return { ok: false, error: health.error, readings: {} };
        const a = parseAlerts(health.body);
        return 'error' in a ? { ok: false, error: `GET ${displayUrl(alertsUrl)}: ${a.error}`, readings: {} } : { ok: true, readings: {} };
      }
      const wantSilences = probes.some((p) => p.alerts?.silences === 'warn');
      const [alerts, silences] = await Promise.all([
        Promise.all(probes.map((p) => getJson(alertsUrl, alertParams(p.alerts?.filter ?? [], p.alerts?.silences === 'warn'), ctx))),
        wantSilences ? getJson(silencesUrl, undefined, ctx) : Promise.resolve(undefined),
      ]);
      const down = alerts.find((a): a is Extract<Fetched, { ok: false }> => !a.ok && a.source);
      if (down) return { ok: false, error: down.error, readings: {} };
      const now = ctx.clock.now();
      const active = silences === undefined ? undefined : silences.ok ? parseSilences(silences.body) : { error: silences.error };
      const readings: Record<string, Reading> = {};
      probes.forEach((p, i) => {
        const got = alerts[i]!;
        if (!got.ok) {
          readings[p.id] = { value: null, observedAt: now, error: got.error };
          return;
        }
        readings[p.id] = alertsReading(got.body, p, active, now, `GET ${displayUrl(alertsUrl)}`);
      });
      return { ok: true, readings };
    },
  };
}

export interface AlertSummary {
  name: string;
  summary?: string;
  /** Ids of the silences muting it (`status.silencedBy`); absent or empty: it is not silenced. */
  silencedBy?: string[];
}
export interface SilenceSummary {
  id: string;
  createdBy: string;
  comment: string;
  endsAt: string;
  matchers: Matcher[];
}

/** Pure: one probe's reading from the alert list and, for `silences: warn`, the active silences. */
export function alertsReading(body: unknown, probe: Probe, silences: SilenceSummary[] | { error: string } | undefined, now: number, where = 'alerts'): Reading {
  const all = parseAlerts(body);
  if ('error' in all) return { value: null, observedAt: now, error: `${where}: ${all.error}` };
  const parsed = all.filter((a) => !a.silencedBy?.length);
  const muted = all.filter((a) => a.silencedBy?.length);
  const r: Reading = { value: parsed.length, observedAt: now };
  if (parsed.length > 0) {
    const listed = listAlerts(parsed);
    r.note = `firing: ${listed}`;
    r.detail = listed;
  }
  if (probe.alerts?.silences === 'warn') {
    if (silences === undefined) r.error = 'silences were not read';
    else if ('error' in silences) r.error = `cannot check silences: ${silences.error}`;
    else {
      let filter: Matcher[];
      try {
        filter = probe.alerts.filter.map(parseMatcher);
      } catch (err) {
        return { value: null, observedAt: now, error: oneLine(err instanceof Error ? err.message : String(err)) };
      }
      const hold = silenceHold(muted, silences, filter);
      if (hold) r.hold = hold;
    }
  }
  return r;
}

/**
 * Why a pass is held: the gate's alerts that silences mute now, by whichever silence (named
 * from the silence list, or by id alone if it ended between the two reads), else the active
 * silences whose matchers cover the filter.
 */
function silenceHold(muted: readonly AlertSummary[], silences: readonly SilenceSummary[], filter: readonly Matcher[]): string | undefined {
  if (muted.length > 0) {
    const ids = [...new Set(muted.flatMap((a) => a.silencedBy ?? []))];
    const byId = new Map(silences.map((s) => [s.id, s]));
    const named = ids.map((id) => byId.get(id) ?? { id, createdBy: '', comment: '', endsAt: '', matchers: [] });
    const n = muted.length;
    return `${n} firing alert${n === 1 ? '' : 's'} silenced: ${listAlerts(muted)}; ${describeSilences(named, 'mute')}`;
  }
  const hits = silences.filter((s) => silenceMatchesFilter(s.matchers, filter));
  return hits.length > 0 ? describeSilences(hits) : undefined;
}

/** Pure: the v2 alert list, or why it is not one. */
export function parseAlerts(body: unknown): AlertSummary[] | { error: string } {
  if (!Array.isArray(body)) return { error: 'not an Alertmanager v2 alert list (check url and base_path)' };
  const out: AlertSummary[] = [];
  for (const a of body) {
    const labels = (a as { labels?: unknown } | null)?.labels;
    if (!labels || typeof labels !== 'object') return { error: 'not an Alertmanager v2 alert list: an alert without labels' };
    const name = (labels as Record<string, unknown>).alertname;
    const summary = ((a as { annotations?: Record<string, unknown> }).annotations ?? {}).summary;
    const s: AlertSummary = { name: typeof name === 'string' && name !== '' ? name : '(no alertname)' };
    if (typeof summary === 'string' && summary.trim() !== '') s.summary = summary;
    const silencedBy = ((a as { status?: { silencedBy?: unknown } }).status ?? {}).silencedBy;
    if (Array.isArray(silencedBy) && silencedBy.length > 0) s.silencedBy = silencedBy.map((id) => String(id));
    out.push(s);
  }
  return out;
}

/** Pure: the silences that are active now, or why the list is unusable. */
export function parseSilences(body: unknown): SilenceSummary[] | { error: string } {
  if (!Array.isArray(body)) return { error: 'not an Alertmanager v2 silence list' };
  const out: SilenceSummary[] = [];
  for (const s of body) {
    const o = (s ?? {}) as Record<string, unknown>;
    const state = (o.status as { state?: unknown } | undefined)?.state;
    if (state !== 'active') continue;
    const matchers = silenceMatchers(o.matchers);
    // An active silence we cannot read could be muting this gate's alerts: fail closed.
    if (!matchers) return { error: `active silence ${oneLine(String(o.id ?? '?'), 40)} has matchers in an unknown shape` };
    out.push({ id: str(o.id), createdBy: str(o.createdBy), comment: str(o.comment), endsAt: str(o.endsAt), matchers });
  }
  return out;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** Untrusted text from the alert sources: control sequences stripped, every part bounded. */
export function listAlerts(alerts: readonly AlertSummary[]): string {
  const shown = alerts.slice(0, MAX_LISTED_ALERTS).map((a) => {
    const name = oneLine(a.name, 80);
    return a.summary ? `${name} (${oneLine(a.summary, 120)})` : name;
  });
  const more = alerts.length - shown.length;
  return shown.join('; ') + (more > 0 ? `; +${more} more` : '');
}

export function describeSilences(silences: readonly SilenceSummary[], verb: 'match' | 'mute' = 'match'): string {
  const shown = silences.slice(0, MAX_LISTED_SILENCES).map((s) => {
    const who = s.createdBy ? ` by ${oneLine(s.createdBy, 60)}` : '';
    const why = s.comment ? ` "${oneLine(s.comment, 120)}"` : '';
    const until = s.endsAt ? ` until ${oneLine(s.endsAt, 40)}` : '';
    return `${oneLine(s.id, 40) || '?'}${who}${why}${until}`;
  });
  const more = silences.length - shown.length;
  const n = silences.length;
  const what = verb === 'match' ? `match${n === 1 ? 'es' : ''} the filter` : `mute${n === 1 ? 's' : ''} them`;
  return `${n} active silence${n === 1 ? '' : 's'} ${what}: ${shown.join('; ')}${more > 0 ? `; +${more} more` : ''}`;
}
