/** A gate's keys (SPEC §2), every source type's among them: a leaf, so the source-type modules can name RawGate. */
import * as z from './z.js';
import { parseMatcher } from './matcher.js';
import { duration, errText, headers, httpUrl, idString, nonEmpty, text, threshold } from './schemaParts.js';
import { stripControl } from '../util/sanitize.js';
import { compareSchema, trendSchema } from './sections/judgmentSchema.js';

// --------------------------------------------------------------------------
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
  compare: compareSchema.optional(),
  trend: trendSchema.optional(),
});
export type RawGate = z.output<typeof gateSchema>;
