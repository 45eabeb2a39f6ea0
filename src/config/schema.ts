/**
 * The shape of warroom.yaml (SPEC §2) as zod 4 schemas. Objects are strict, so a typo in a
 * key is a problem rather than a silently ignored setting. Durations and thresholds are
 * parsed here, field by field, so each bad one is reported at its own path. Checks that
 * need more than one section (source references, roles) live in rules.ts.
 */
import { z } from 'zod';
import { NATS_KEYS } from './sections/room.js';
import { parseDuration } from './duration.js';
import { parseThreshold, type Threshold } from './threshold.js';
import { stripControl } from '../util/sanitize.js';
import { parseMatcher } from '../sources/alertMatch.js';
import { parseListen } from '../telemetry/listen.js';
import { compareSchema, trendSchema, JUDGMENT_KEYS } from './sections/judgment.js';

// A config is validated once per run: zod's default of generating and compiling a fast
// parser per object schema on first use costs more than it saves (~12 ms of startup, measured).
z.config({ jitless: true });

const errText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** A duration: `500ms 30s 5m 2h 1h30m`; a bare 0 is allowed. */
export function duration(opts: { min?: number; minText?: string } = {}) {
  return z.unknown().transform((v, ctx): number => {
    let ms: number;
    if (typeof v === 'number') {
      if (v !== 0) {
        ctx.addIssue({ code: 'custom', message: `duration ${v} needs a unit (ms, s, m, h), e.g. "${v}s"` });
        return z.NEVER;
      }
      ms = 0;
    } else if (typeof v === 'string') {
      try {
        ms = parseDuration(v);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: errText(e) });
        return z.NEVER;
      }
      if (!Number.isSafeInteger(ms)) {
        ctx.addIssue({ code: 'custom', message: `duration "${v}" is too long` });
        return z.NEVER;
      }
    } else {
      ctx.addIssue({ code: 'custom', message: `expected a duration like 30s, 5m or 1h30m, got ${kindOf(v)}` });
      return z.NEVER;
    }
    if (opts.min !== undefined && ms < opts.min) {
      ctx.addIssue({ code: 'custom', message: `must be at least ${opts.minText ?? `${opts.min}ms`}` });
      return z.NEVER;
    }
    return ms;
  });
}

/** A threshold `OP VALUE`. `template` values are checked with `{{pct}}` replaced by 0. */
export function threshold() {
  return z.unknown().transform((v, ctx): Threshold => {
    if (typeof v === 'string') {
      try {
        return parseThreshold(v);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: errText(e) });
        return z.NEVER;
      }
    }
    const hint = typeof v === 'number' || typeof v === 'boolean' ? ` (write "== ${String(v)}")` : '';
    ctx.addIssue({ code: 'custom', message: `expected a threshold like ">= 0.9" or "== 0", got ${kindOf(v)}${hint}` });
    return z.NEVER;
  });
}

/** `expect:` of a verify step: a threshold once `{{pct}}` is filled in; kept as text. */
export function expectTemplate() {
  return z.unknown().transform((v, ctx): string => {
    if (typeof v !== 'string') {
      const hint = typeof v === 'number' || typeof v === 'boolean' ? ` (write "== ${String(v)}")` : '';
      ctx.addIssue({ code: 'custom', message: `expected a threshold like "== {{pct}}", got ${kindOf(v)}${hint}` });
      return z.NEVER;
    }
    const leftover = /\{\{(?!pct\}\})[^}]*\}\}/.exec(v);
    if (leftover) {
      ctx.addIssue({ code: 'custom', message: `${leftover[0]} is not available here: expect may only use {{pct}}` });
      return z.NEVER;
    }
    try {
      parseThreshold(v.split('{{pct}}').join('0'));
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: errText(e) });
      return z.NEVER;
    }
    return v;
  });
}

export function kindOf(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return 'text';
  return `${typeof v} ${String(v)}`;
}

/** Display text (titles, labels, names): non-empty, and no terminal control characters. */
export const text = z
  .string()
  .min(1, 'must not be empty')
  .refine((s) => stripControl(s, { keepNewlines: false }) === s, 'must not contain control characters or newlines');

export const ID = /^[a-z0-9][a-z0-9_.-]*$/i;
export const idString = (what: string) =>
  z.string().regex(ID, `${what} must start with a letter or digit and use only letters, digits, _ . -`);

const ACTOR = /^[\w.@+-]{1,64}$/;

function urlString(protocols: string[]) {
  return z.string().superRefine((s, ctx) => {
    let u: URL;
    try {
      u = new URL(s);
    } catch {
      ctx.addIssue({ code: 'custom', message: `"${s}" is not a URL` });
      return;
    }
    if (!protocols.includes(u.protocol)) {
      ctx.addIssue({ code: 'custom', message: `URL must start with ${protocols.map((p) => `${p}//`).join(' or ')}` });
    }
  });
}
export const httpUrl = urlString(['http:', 'https:']);
export const wsUrl = urlString(['ws:', 'wss:']);

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
export const headers = z.record(z.string(), z.string()).superRefine((h, ctx) => {
  for (const [k, v] of Object.entries(h)) {
    if (!TOKEN.test(k)) ctx.addIssue({ code: 'custom', path: [k], message: `"${k}" is not a valid HTTP header name` });
    // Checked without quoting the value: it may hold a secret.
    if (/[\r\n\0]/.test(v)) ctx.addIssue({ code: 'custom', path: [k], message: 'header value must not contain line breaks or NUL' });
  }
});

const nonEmpty = z.string().min(1, 'must not be empty');
const argv = z.array(nonEmpty).min(1, 'must list at least the program to run');

// --- sources ------------------------------------------------------------------------
const common = {
  interval: duration({ min: 100, minText: '100ms' }).optional(),
  timeout: duration({ min: 1, minText: '1ms' }).optional(),
  stale_after: duration({ min: 1, minText: '1ms' }).optional(),
};
/** Sources whose data carries the source's own clock (sample timestamps, file mtimes). */
const sourceClock = { max_clock_skew: duration().optional() };
/** HTTP sources: redirects leave the configured origin only when asked to (SPEC §9.2). */
const redirects = { follow_redirects: z.boolean().optional() };
export const prometheusSource = z.strictObject({ type: z.literal('prometheus'), url: httpUrl, headers: headers.optional(), ...common, ...sourceClock, ...redirects });
export const scrapeSource = z.strictObject({ type: z.literal('scrape'), url: httpUrl, headers: headers.optional(), ...common, ...sourceClock, ...redirects });
export const websocketSource = z.strictObject({
  type: z.literal('websocket'),
  url: wsUrl,
  headers: headers.optional(),
  timeout: common.timeout,
  stale_after: common.stale_after,
  // SPEC §9.2: a larger seq step is a server restart; more firing alerts are kept as "+N more".
  max_seq_jump: z.number().int('must be a whole number').min(1, 'must be 1 or more').optional(),
  max_firing_alerts: z.number().int('must be a whole number').min(1, 'must be 1 or more').max(1_000_000, 'must be at most 1000000').optional(),
});
export const commandSource = z.strictObject({ type: z.literal('command'), argv, cwd: nonEmpty.optional(), ...common });
export const filesSource = z.strictObject({ type: z.literal('files'), path: nonEmpty, ...common, ...sourceClock });
/** SPEC §9.3: plain HTTP checks; its clock is the answer's Date header. */
export const httpSource = z.strictObject({ type: z.literal('http'), url: httpUrl, headers: headers.optional(), ...common, ...sourceClock, ...redirects });
/** Where the v2 API lives under url (Grafana: /api/alertmanager/grafana): a path, nothing else. */
const basePath = z.string().regex(/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/, 'base_path must be a URL path starting with / (no query, fragment or spaces), e.g. /api/alertmanager/grafana');
export const alertmanagerSource = z.strictObject({ type: z.literal('alertmanager'), url: httpUrl, headers: headers.optional(), base_path: basePath.optional(), ...common, ...redirects });
export const SOURCE_TYPES = ['prometheus', 'scrape', 'websocket', 'command', 'files', 'http', 'alertmanager'] as const;
export const sourceSchema = z.discriminatedUnion('type', [prometheusSource, scrapeSource, websocketSource, commandSource, filesSource, httpSource, alertmanagerSource]);
export type RawSource = z.output<typeof sourceSchema>;

// --- gates --------------------------------------------------------------------------
/** One Alertmanager label matcher, checked here so a typo is a config problem with its line. */
const matcher = z.string().superRefine((s, ctx) => {
  try {
    parseMatcher(s);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: errText(e) });
  }
});
/** A dotted JSON path like summary.passed (digits index lists). */
const fieldPath = z
  .string()
  .max(200, 'must be at most 200 characters')
  .regex(/^[^.\s]+(\.[^.\s]+)*$/, 'must be a dotted path like summary.passed (no spaces, no empty parts)')
  .refine((s) => stripControl(s, { keepNewlines: false }) === s, 'must not contain control characters');
/** A regular expression with at least one capture group: the first one is the gate's number. */
const captureRegex = z.string().superRefine((s, ctx) => {
  let re: RegExp;
  try {
    re = new RegExp(s);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: `not a valid regular expression: ${errText(e)}` });
    return;
  }
  // A group count from the regex engine itself: `new RegExp(s + '|')` matches the empty string, so exec shows every group.
  const groups = (new RegExp(`${re.source}|`).exec('') ?? []).length - 1;
  if (groups < 1) ctx.addIssue({ code: 'custom', message: 'needs a capture group for the number, e.g. \'max-age=(\\d+)\'' });
});

/** Free text shown to people: newlines allowed (YAML folded blocks), terminal controls not. */
const prose = z
  .string()
  .min(1, 'must not be empty')
  .refine((s) => stripControl(s, { keepNewlines: true }) === s, 'must not contain control characters');

export const GATE_SEVERITIES = ['critical', 'advisory', 'info'] as const;
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

export const gateSchema = z.strictObject({
  id: idString('gate id'),
  title: text.optional(),
  group: text.optional(),
  severity: z.enum(GATE_SEVERITIES).optional(),
  owner: text.optional(),
  runbook: httpUrl.optional(),
  description: prose.optional(),
  // SPEC §9.5: the gate's share of decision.score.
  weight: z.number().min(0, 'must be 0 or more (0 counts nothing)').max(1e6, 'must be at most 1000000').optional(),
  source: nonEmpty,
  query: nonEmpty.optional(),
  metric: nonEmpty.optional(),
  key: nonEmpty.optional(),
  baseline: z.number().optional(),
  baseline_query: nonEmpty.optional(),
  baseline_metric: nonEmpty.optional(),
  go: threshold().optional(),
  warn: threshold().optional(),
  for: duration().optional(),
  stale_after: duration({ min: 1, minText: '1ms' }).optional(),
  max_age: duration({ min: 1, minText: '1ms' }).optional(),
  rollback: z.enum(['prompt', 'auto']).optional(),
  signoff_role: nonEmpty.optional(),
  // http sources (SPEC §9.3): the request, then which part of the answer is the value.
  path: nonEmpty.optional(),
  url: httpUrl.optional(),
  method: z
    .string()
    .transform((m) => m.toUpperCase())
    .pipe(z.enum(HTTP_METHODS))
    .optional(),
  headers: headers.optional(),
  body: z.string().optional(),
  json_body: z.unknown().optional(),
  timeout: duration({ min: 1, minText: '1ms' }).optional(),
  json_path: nonEmpty.optional(),
  header: z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be an HTTP header name').optional(),
  header_match: captureRegex.optional(),
  latency: z.boolean().optional(),
  // alertmanager
  filter: z.array(matcher).optional(),
  silences: z.enum(['warn', 'ignore']).optional(),
  // files: value field and artifact history
  field: fieldPath.optional(),
  consecutive: z.number().int('must be a whole number').min(1, 'must be 1 or more').max(100, 'must be at most 100').optional(),
  no_failures_within: duration({ min: 1, minText: '1ms' }).optional(),
  // SPEC §9.5: the runbook `x` runs for this gate; the reference is checked in build.ts.
  remedy: idString('remedy (a runbook id)').optional(),
  // Statistical judgment over a window (sections/judgment.ts).
  compare: z.lazy(() => compareSchema).optional(),
  trend: z.lazy(() => trendSchema).optional(),
});
export type RawGate = z.output<typeof gateSchema>;

// --- the rest -----------------------------------------------------------------------
export const deploymentSchema = z.strictObject({ name: text, environment: text.optional() });

export const rolesSchema = z.record(
  idString('role name'),
  z.array(z.string().regex(ACTOR, 'actor names are 1-64 letters, digits or . _ @ + -')),
);

/** A percentage written as in Keptn's total_score: "90%" (0–100); a bare number is ambiguous (0.9 or 90?). */
const percent = z.unknown().transform((v, ctx): number => {
  const m = typeof v === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(v) : null;
  const n = m ? Number(m[1]) : NaN;
  if (!m || !(n >= 0 && n <= 100)) {
    ctx.addIssue({ code: 'custom', message: `expected a percentage from 0% to 100% like "90%", got ${typeof v === 'string' ? `"${v}"` : kindOf(v)}` });
    return z.NEVER;
  }
  return n;
});
const scoreSchema = z
  .strictObject({ pass: percent, warning: percent })
  .refine((s) => s.warning <= s.pass, { message: 'warning must be at most pass', path: ['warning'] });

export const decisionSchema = z.strictObject({
  score: scoreSchema.optional(),
  unknown: z.enum(['nogo', 'warn']).optional(),
  warn_when_failed_at_most: z.number().int('must be a whole number').min(0, 'must be 0 or more').optional(),
  require_signoffs: z.array(nonEmpty).optional(),
  signoff_max_age: duration({ min: 1000, minText: '1s' }).optional(),
  override: z.lazy(() => approvalsSchema).optional(),
});

/** SPEC §9.5: how many distinct role-holders must approve, within how long of the request. */
export const approvalsSchema = z.strictObject({
  roles: z.array(nonEmpty).min(1, 'name at least one role'),
  count: z.number().int('must be a whole number').min(1, 'must be 1 or more').max(20, 'must be at most 20'),
  expires: duration({ min: 1000, minText: '1s' }),
});

/** SPEC §9.5 (issue 15): waivers that wait for approvals before they count. */
export const waiverSchema = z.strictObject({ approvals: approvalsSchema.optional() });

/** SPEC §9.1: who may sign, and the key this console signs with. */
export const roomSchema = z.strictObject({ allowed_signers: nonEmpty.optional(), signing_key: nonEmpty.optional(), nats: z.unknown().optional() });

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
/** Date.parse rolls 2026-02-30 over to March; a start time that does not exist is a typo. */
function realCalendarDate(s: string): boolean {
  const [y, m, d, hh, mm, ss] = [s.slice(0, 4), s.slice(5, 7), s.slice(8, 10), s.slice(11, 13), s.slice(14, 16), s.slice(17, 19)].map(Number) as number[];
  const day = new Date(Date.UTC(y!, m! - 1, d!));
  return day.getUTCMonth() === m! - 1 && day.getUTCDate() === d && hh! <= 23 && mm! <= 59 && ss! <= 60;
}
const rampStart = z.unknown().transform((v, ctx): 'manual' | number => {
  if (v === 'manual') return 'manual';
  if (typeof v === 'string' && RFC3339.test(v.trim())) {
    const t = Date.parse(v.trim());
    if (!Number.isNaN(t) && realCalendarDate(v.trim())) return t;
  }
  ctx.addIssue({ code: 'custom', message: `expected manual or an RFC 3339 time with a zone like "2026-11-23T14:00:00Z", got ${typeof v === 'string' ? `"${v}"` : kindOf(v)}` });
  return z.NEVER;
});

const checkpointSchema = z.strictObject({ at: duration(), label: text });
const stageSchema = z
  .strictObject({
    influence: z.number().min(0, 'must be 0..100').max(100, 'must be 0..100'),
    hold: duration(),
    checkpoints: z.array(checkpointSchema).optional(),
  })
  .superRefine((s, ctx) => {
    (s.checkpoints ?? []).forEach((c, i) => {
      if (c.at > s.hold) ctx.addIssue({ code: 'custom', path: ['checkpoints', i, 'at'], message: 'checkpoint is after the end of the stage (at must be ≤ hold)' });
    });
  });
export const rampSchema = z.strictObject({
  start: rampStart.optional(),
  max_step: z.number().min(1, 'must be 1..100').max(100, 'must be 1..100').optional(),
  stages: z
    .array(stageSchema)
    .min(1, 'must list at least one stage')
    .superRefine((stages, ctx) => {
      for (let i = 1; i < stages.length; i++) {
        if (stages[i]!.influence <= stages[i - 1]!.influence) {
          ctx.addIssue({ code: 'custom', path: [i, 'influence'], message: `influence must increase from stage to stage (${stages[i - 1]!.influence} then ${stages[i]!.influence})` });
        }
      }
    }),
});

export const verifySchema = z.strictObject({
  source: nonEmpty,
  metric: nonEmpty.optional(),
  query: nonEmpty.optional(),
  key: nonEmpty.optional(),
  expect: expectTemplate(),
  within: duration({ min: 1, minText: '1ms' }).optional(),
});
export type RawVerify = z.output<typeof verifySchema>;

const httpSpec = z.strictObject({
  method: z
    .string()
    .transform((m) => m.toUpperCase())
    .pipe(z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']))
    .optional(),
  url: httpUrl,
  headers: headers.optional(),
  body: z.unknown().optional(),
  follow_redirects: z.boolean().optional(),
});
export const actionSchema = z.strictObject({
  http: httpSpec.optional(),
  argv: argv.optional(),
  /** Validated on its own with verifySchema, so its references are checked even when the rest is broken. */
  verify: z.unknown().optional(),
  retries: z.number().int('must be a whole number').min(0, 'must be 0..10').max(10, 'must be 0..10').optional(),
  timeout: duration({ min: 1, minText: '1ms' }).optional(),
});
export type RawAction = z.output<typeof actionSchema>;

/** Which actions exist; each action is validated on its own with actionSchema. */
export const actionsSchema = z.strictObject({ kill_switch: z.unknown().optional(), set_influence: z.unknown().optional(), runbooks: z.unknown().optional() });

export const influenceSchema = z.strictObject({
  source: nonEmpty,
  metric: nonEmpty.optional(),
  query: nonEmpty.optional(),
  key: nonEmpty.optional(),
});

export const auditSchema = z.strictObject({ dir: nonEmpty.optional() });

// --- notify (SPEC §9.4) ----------------------------------------------------------------
export const NOTIFY_EVENTS = ['overall', 'trigger', 'kill', 'influence', 'runbook', 'decision', 'signoff', 'waiver', 'checkpoint', 'audit', 'status', 'announce', 'report'] as const;
const notifyCommon = {
  on: z.array(z.enum([...NOTIFY_EVENTS, 'all'])).min(1, 'must list at least one event (or all)'),
  every: duration({ min: 1000, minText: '1s' }).optional(),
  throttle: duration().optional(),
  timeout: duration({ min: 1, minText: '1ms' }).optional(),
  retries: z.number().int('must be a whole number').min(0, 'must be 0..10').max(10, 'must be 0..10').optional(),
  queue: z.number().int('must be a whole number').min(1, 'must be 1..10000').max(10_000, 'must be 1..10000').optional(),
};
export const NOTIFY_SINK_TYPES = ['slack', 'teams', 'webhook', 'pagerduty'] as const;
export const notifySinkSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('slack'), url: httpUrl, ...notifyCommon }),
  z.strictObject({ type: z.literal('teams'), url: httpUrl, ...notifyCommon }),
  z.strictObject({ type: z.literal('webhook'), url: httpUrl, headers: headers.optional(), ...notifyCommon }),
  z.strictObject({ type: z.literal('pagerduty'), routing_key: nonEmpty, url: httpUrl.optional(), ...notifyCommon }),
]);
export type RawNotifySink = z.output<typeof notifySinkSchema>;

/** SPEC §9.4: warroom's own traces (OTLP/HTTP) and /metrics. */
const listenAddress = z.string().superRefine((s, ctx) => {
  const a = parseListen(s);
  if ('error' in a) ctx.addIssue({ code: 'custom', message: a.error });
});
export const telemetrySchema = z.strictObject({
  otlp: z.strictObject({ endpoint: httpUrl, headers: headers.optional() }).optional(),
  metrics_listen: listenAddress.optional(),
});

/**
 * The top level only checks which keys exist; each section is validated on its own so a
 * broken section does not hide the problems of the others.
 */
export const TOP_KEYS = ['version', 'deployment', 'roles', 'sources', 'gates', 'decision', 'ramp', 'actions', 'influence', 'audit', 'room', 'notify', 'telemetry', 'waiver'] as const;

/** Every key the file may contain anywhere, for "did you mean" hints on unknown keys. */
export const KNOWN_KEYS: readonly string[] = [
  ...TOP_KEYS,
  'name', 'environment', 'type', 'url', 'headers', 'interval', 'timeout', 'stale_after', 'argv', 'cwd', 'path', 'max_clock_skew', 'follow_redirects', 'base_path',
  ...Object.keys(gateSchema.shape),
  ...Object.keys(decisionSchema.shape),
  ...Object.keys(roomSchema.shape),
  ...NATS_KEYS,
  'pass', 'warning',
  'approvals', 'roles', 'count', 'expires',
  'start', 'max_step', 'stages', 'influence', 'hold', 'checkpoints', 'at', 'label',
  'kill_switch', 'set_influence', 'http', 'method', 'body', 'verify', 'retries', 'expect', 'within', 'dir',
  'on', 'every', 'throttle', 'queue', 'routing_key',
  'runbooks', 'title', 'params', 'roles', 'confirm', 'choice', 'max_length',
  'otlp', 'endpoint', 'metrics_listen',
  ...JUDGMENT_KEYS,
];
