/**
 * `actions.runbooks` (SPEC §9.5): each runbook is a built-in-style action (http or argv, verify,
 * retries, timeout: checked by build.ts's own action rules) plus a title, typed params, roles and
 * a confirm text. Here: those extra keys, and every placeholder checked against the params the
 * runbook declares, so a typo is an exit-78 problem with its line rather than a failed send.
 */
import * as z from './z.js';
import type { Path } from './interpolate.js';
import { idString, ID, text, verifySchema, type RawVerify } from './schema.js';
import { parseThreshold } from './threshold.js';
import type { ActionConfig, RunbookConfig, RunbookParam, VerifyConfig } from './types.js';
import { placeholdersIn, renderString } from './template.js';
import { sampleValues, TEXT_MAX_LIMIT } from './runbookParams.js';
import { stripControl } from '../util/sanitize.js';

const choiceValue = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .refine((s) => stripControl(s, { keepNewlines: false }) === s, 'must not contain control characters or newlines');

export const runbookParamSchema = z.strictObject({
  type: z.enum(['pct', 'choice', 'text']).optional(),
  choice: z.array(choiceValue).min(1, 'must list at least one value').max(20, 'must list at most 20 values').optional(),
  max_length: z.number().int('must be a whole number').min(1, `must be 1..${TEXT_MAX_LIMIT}`).max(TEXT_MAX_LIMIT, `must be 1..${TEXT_MAX_LIMIT}`).optional(),
  label: text.optional(),
});

/** The action keys are left to build.ts's actionSchema (via buildAction), so they read exactly like kill_switch's. */
export const runbookSchema = z.strictObject({
  title: text.optional(),
  http: z.unknown().optional(),
  argv: z.unknown().optional(),
  verify: z.unknown().optional(),
  retries: z.unknown().optional(),
  timeout: z.unknown().optional(),
  params: z.record(z.string(), z.unknown()).optional(),
  roles: z.array(idString('role name')).min(1, 'must list at least one role (or leave roles out)').optional(),
  confirm: text.refine((s) => s.length <= 200, 'must be at most 200 characters').optional(),
});

/** A runbook's verify: expect may name its params, so it is checked here, not by expectTemplate. */
const runbookVerifySchema = verifySchema.extend({ expect: z.string().min(1, 'must not be empty') });

const PARAM_NAME = /^[a-z][a-z0-9_]*$/i;
const BUILTIN_VARS = ['actor', 'reason'] as const;

export interface RunbookBuildHelpers {
  parseAt: <T extends z.ZodType>(schema: T, value: unknown, base: Path) => z.output<T> | undefined;
  add: (path: Path, message: string) => void;
  /** A problem that points at the key itself (a bad id or param name). */
  addKey: (path: Path, message: string) => void;
  buildAction: (raw: unknown, p: Path, defaultRetries: number) => ActionConfig | undefined;
  buildVerify: (v: RawVerify, p: Path) => VerifyConfig | undefined;
  checkRole: (role: string, path: Path) => void;
  rolesConfigured: boolean;
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export interface BuiltRunbooks {
  runbooks: Record<string, RunbookConfig>;
  /** Every id given, built or not, so a gate's remedy is not also reported as unknown. */
  ids: Set<string>;
}

export function buildRunbooks(raw: unknown, base: Path, h: RunbookBuildHelpers): BuiltRunbooks {
  const out: BuiltRunbooks = { runbooks: {}, ids: new Set() };
  if (raw === null) return out;
  if (!isMapping(raw)) {
    h.add(base, 'expected a mapping of runbook id to runbook, e.g. downshift: { title: ..., http: {...} }');
    return out;
  }
  for (const [id, rawRb] of Object.entries(raw)) {
    out.ids.add(id);
    const p: Path = [...base, id];
    if (!ID.test(id)) h.addKey(p, `runbook id "${id}" must start with a letter or digit and use only letters, digits, _ . -`);
    const rb = buildRunbook(id, rawRb, p, h);
    if (rb && ID.test(id)) out.runbooks[id] = rb;
  }
  return out;
}

function buildParams(raw: Record<string, unknown>, p: Path, h: RunbookBuildHelpers): RunbookParam[] | undefined {
  const params: RunbookParam[] = [];
  let ok = true;
  for (const [name, spec] of Object.entries(raw)) {
    const pp: Path = [...p, name];
    if (!PARAM_NAME.test(name)) {
      h.addKey(pp, `param name "${name}" must start with a letter and use only letters, digits and _`);
      ok = false;
    } else if ((BUILTIN_VARS as readonly string[]).includes(name)) {
      h.addKey(pp, `"${name}" is filled in by the console ({{${name}}}); choose another param name`);
      ok = false;
    }
    const s = h.parseAt(runbookParamSchema, spec, pp);
    if (!s) {
      ok = false;
      continue;
    }
    const kind = s.type ?? (s.choice !== undefined ? 'choice' : undefined);
    if (kind === undefined) {
      h.add(pp, 'give type: pct (a whole number 0-100) or type: text (one line), or choice: [a, b]');
      ok = false;
      continue;
    }
    if (kind === 'choice' && s.choice === undefined) (h.add([...pp, 'choice'], 'required: a choice param lists its values, e.g. choice: [balanced, fast]'), (ok = false));
    if (kind !== 'choice' && s.choice !== undefined) (h.add([...pp, 'choice'], `choice is only for choice params (this one is type ${kind})`), (ok = false));
    if (kind !== 'text' && s.max_length !== undefined) (h.add([...pp, 'max_length'], 'max_length is only for text params'), (ok = false));
    if (s.choice && new Set(s.choice).size !== s.choice.length) (h.add([...pp, 'choice'], 'lists a value twice'), (ok = false));
    const param: RunbookParam = { name, kind };
    if (s.choice) param.choices = s.choice;
    if (kind === 'text') param.maxLength = s.max_length ?? 80;
    if (s.label) param.label = s.label;
    params.push(param);
  }
  return ok ? params : undefined;
}

/** Reports placeholders a runbook does not fill, each at the leaf that holds it. */
function checkPlaceholders(value: unknown, p: Path, allowed: readonly string[], h: RunbookBuildHelpers): number {
  let bad = 0;
  const walk = (v: unknown, at: Path): void => {
    if (typeof v === 'string') {
      for (const name of placeholdersIn(v)) {
        if (allowed.includes(name)) continue;
        bad++;
        h.add(at, `unknown placeholder {{${name}}}: this runbook fills ${allowed.map((a) => `{{${a}}}`).join(' ')}`);
      }
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...at, i]));
    else if (isMapping(v)) for (const [k, x] of Object.entries(v)) walk(x, [...at, k]);
  };
  walk(value, p);
  return bad;
}

function buildRunbook(id: string, rawRb: unknown, p: Path, h: RunbookBuildHelpers): RunbookConfig | undefined {
  const r = h.parseAt(runbookSchema, rawRb, p);
  // Params are checked even when the rest is broken: every problem is listed at once.
  const rawParams = isMapping(rawRb) ? rawRb.params : undefined;
  const params = rawParams === undefined ? [] : isMapping(rawParams) ? buildParams(rawParams, [...p, 'params'], h) : undefined;
  if (!r || !isMapping(rawRb)) return undefined;
  const allowed = [...(params ?? []).map((x) => x.name), ...BUILTIN_VARS];
  // Only what is sent gets placeholders filled: body leaves and argv elements (never a shell line).
  let bad = 0;
  if (params) {
    if (isMapping(r.http)) {
      if (r.http.body !== undefined) bad += checkPlaceholders(r.http.body, [...p, 'http', 'body'], allowed, h);
      for (const k of ['url', 'headers'] as const) {
        if (placeholdersIn(r.http[k]).length) (bad++, h.add([...p, 'http', k], `placeholders are not filled in ${k}: put them in body`));
      }
    }
    if (r.argv !== undefined) bad += checkPlaceholders(r.argv, [...p, 'argv'], allowed, h);
  }
  const actionPart = Object.fromEntries(Object.entries({ http: r.http, argv: r.argv, retries: r.retries, timeout: r.timeout }).filter(([, v]) => v !== undefined));
  const action = h.buildAction(actionPart, p, 0);

  let verify: VerifyConfig | undefined;
  let verifyOk = true;
  if (r.verify !== undefined) {
    const v = h.parseAt(runbookVerifySchema, r.verify, [...p, 'verify']);
    verifyOk = false;
    if (v && params) {
      const ep: Path = [...p, 'verify', 'expect'];
      const unknown = checkPlaceholders(v.expect, ep, allowed, h);
      if (!unknown) {
        try {
          parseThreshold(renderString(v.expect, { actor: 'x', reason: 'x', vars: sampleValues(params) }));
          verify = h.buildVerify(v, [...p, 'verify']);
          verifyOk = verify !== undefined;
        } catch (e) {
          h.add(ep, e instanceof Error ? e.message : String(e));
        }
      }
    }
  }
  if (r.roles) {
    if (!h.rolesConfigured) h.add([...p, 'roles'], 'roles needs the top-level roles section (who holds which role)');
    else r.roles.forEach((role, j) => h.checkRole(role, [...p, 'roles', j]));
  }
  if (!params || bad || !action || !verifyOk) return undefined;
  if (action.kind === 'argv') {
    const used = placeholdersIn(action.argv);
    for (const param of params) if (param.kind === 'text' && used.includes(param.name)) param.inArgv = true;
  }
  const reasonInArgv = action.kind === 'argv' && placeholdersIn(action.argv).includes('reason');
  const usesReason = placeholdersIn([action.kind === 'http' ? action.body : action.argv, r.verify !== undefined && isMapping(r.verify) ? r.verify.expect : undefined]).includes('reason');
  const rb: RunbookConfig = { id, title: r.title ?? id, action: verify ? { ...action, verify } : action, params, usesReason };
  if (r.roles) rb.roles = [...new Set(r.roles)];
  if (r.confirm) rb.confirm = r.confirm;
  if (reasonInArgv) rb.reasonInArgv = true;
  return rb;
}
