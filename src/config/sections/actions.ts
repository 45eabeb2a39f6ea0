/**
 * `actions:` (kill switch, set influence, runbooks: each on its own, so one broken action does
 * not hide the other's problems), every gate's `remedy:` reference, and `influence:`.
 */
import type { Path } from '../interpolate.js';
import { isMapping } from '../problemText.js';
import { buildRunbooks } from '../runbooks.js';
import { actionSchema, actionsSchema, influenceSchema, verifySchema, type RawVerify } from '../schema.js';
import { compact, S } from '../sources/types.js';
import type { ActionConfig, Config, VerifyConfig } from '../types.js';
import type { BuildContext } from './context.js';
import type { Roles } from './roles.js';
import { checkSelector, type Sources } from './sources.js';

export function buildActions(ctx: BuildContext, roles: Roles, srcs: Sources): Config['actions'] {
  const { raw } = ctx;
  const actions: Config['actions'] = {};
  let runbookIds = new Set<string>();
  const build = actionBuilder(ctx, srcs);
  const a = ctx.section('actions') === undefined ? undefined : ctx.parseAt(actionsSchema, raw.actions, ['actions']);
  if (a) {
    const ks = a.kill_switch === undefined ? undefined : build.action(a.kill_switch, ['actions', 'kill_switch'], 3);
    const si = a.set_influence === undefined ? undefined : build.action(a.set_influence, ['actions', 'set_influence'], 0);
    if (ks) actions.killSwitch = ks;
    if (si) actions.setInfluence = si;
    if (a.runbooks !== undefined) {
      const rb = buildRunbooks(a.runbooks, ['actions', 'runbooks'], {
        parseAt: ctx.parseAt,
        add: ctx.add,
        addKey: ctx.addKey,
        buildAction: build.action,
        buildVerify: build.verify,
        checkRole: roles.checkRole,
        rolesConfigured: raw.roles !== undefined,
      });
      runbookIds = rb.ids;
      if (Object.keys(rb.runbooks).length) actions.runbooks = rb.runbooks;
    }
  }
  checkRemedies(ctx, runbookIds);
  return actions;
}

/** SPEC §9.5: a gate's remedy names a runbook (broken ones count as named: their own problems say why). */
function checkRemedies(ctx: BuildContext, runbookIds: Set<string>): void {
  if (!Array.isArray(ctx.raw.gates)) return;
  (ctx.raw.gates as unknown[]).forEach((g, i) => {
    const remedy = isMapping(g) ? g.remedy : undefined;
    if (typeof remedy !== 'string' || runbookIds.has(remedy)) return;
    const known = [...runbookIds];
    ctx.add(['gates', i, 'remedy'], `unknown runbook "${remedy}" (actions.runbooks: ${known.length ? known.join(', ') : 'none configured'})`);
  });
}

function actionBuilder(ctx: BuildContext, srcs: Sources) {
  const { add } = ctx;
  function verify(v: RawVerify, p: Path): VerifyConfig | undefined {
    const src = srcs.ref(v, p);
    const sel = src ? checkSelector(src, v, p, add) : undefined;
    if (!sel) return undefined;
    return compact<VerifyConfig>({ source: v.source, ...sel, expect: v.expect, within: v.within ?? 30 * S });
  }
  function action(rawAction: unknown, p: Path, defaultRetries: number): ActionConfig | undefined {
    if (isMapping(rawAction)) {
      const hasHttp = rawAction.http !== undefined;
      const hasArgv = rawAction.argv !== undefined;
      if (hasHttp && hasArgv) add(p, 'give either http: {...} or argv: [...], not both');
      if (!hasHttp && !hasArgv) add(p, 'needs http: { url: ... } or argv: [program, args...]');
    }
    const x = ctx.parseAt(actionSchema, rawAction, p);
    const rawVerify = isMapping(rawAction) ? rawAction.verify : undefined;
    const v = rawVerify === undefined ? undefined : ctx.parseAt(verifySchema, rawVerify, [...p, 'verify']);
    const checked = v && verify(v, [...p, 'verify']);
    if (!x) return undefined;
    const timeout = x.timeout ?? 5 * S;
    const retries = x.retries ?? defaultRetries;
    if (x.http && x.argv) return undefined;
    if (x.http) {
      const h = x.http;
      return compact<ActionConfig>({ kind: 'http', method: h.method ?? 'POST', url: h.url, headers: h.headers ?? {}, body: h.body, followRedirects: h.follow_redirects, timeout, retries, verify: checked });
    }
    if (x.argv) return compact<ActionConfig>({ kind: 'argv', argv: x.argv, timeout, retries, verify: checked });
    return undefined;
  }
  return { action, verify };
}

export function buildInfluence(ctx: BuildContext, srcs: Sources): Config['influence'] {
  const raw = ctx.section('influence');
  if (raw === undefined) return undefined;
  const inf = ctx.parseAt(influenceSchema, raw, ['influence']);
  if (!inf) return undefined;
  const src = srcs.ref(inf, ['influence']);
  const sel = src ? checkSelector(src, inf, ['influence'], ctx.add) : undefined;
  return sel ? compact({ source: inf.source, ...sel }) : undefined;
}
