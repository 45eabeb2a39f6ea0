/**
 * The shape of warroom.yaml (SPEC §2) as zod 4 schemas. Objects are strict, so a typo in a
 * key is a problem rather than a silently ignored setting. Durations and thresholds are
 * parsed here, field by field, so each bad one is reported at its own path. Checks that
 * need more than one section (source references, roles) live in rules.ts.
 */
import * as z from './z.js';
export * from './schemaParts.js';
import { ACTOR, argv, duration, expectTemplate, headers, httpUrl, idString, kindOf, nonEmpty, percentIn, text } from './schemaParts.js';
import { parseListen } from './listen.js';
import { NATS_KEYS } from './sections/roomNats.js';
import { JUDGMENT_KEYS } from './sections/judgment.js';

// --- sources: one module per type (sources/*.ts), listed in sources/index.ts ---------------
export { SOURCE_TYPES, sourceSchema, type RawSource } from './sources/index.js';

// --- gates: gateSchema.ts ----------------------------------------------------------
export { GATE_SEVERITIES, gateSchema, HTTP_METHODS, type RawGate } from './gateSchema.js';
import { gateSchema } from './gateSchema.js';

// --- the rest -----------------------------------------------------------------------
export const deploymentSchema = z.strictObject({ name: text, environment: text.optional() });

export const rolesSchema = z.record(
  idString('role name'),
  z.array(z.string().regex(ACTOR, 'actor names are 1-64 letters, digits or . _ @ + -')),
);

/** A percentage written as in Keptn's total_score: "90%" (0–100). */
const percent = percentIn(0, 100, 'a percentage', '90%');
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
