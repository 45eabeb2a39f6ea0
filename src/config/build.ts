/**
 * From the interpolated YAML tree to the normalized Config: every section is validated on
 * its own (so one broken section does not hide the others' problems), then the rules that
 * span sections (source references, roles, baselines) run on whatever parsed. Pure: no I/O.
 */
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import type { z } from 'zod';
import type { Path } from './interpolate.js';
import { parseThreshold, type Threshold } from './threshold.js';
import { joinSourceUrl } from './urlJoin.js';
import { checkJsonPathSyntax } from '../sources/jsonPath.js';
import { DEFAULT_MAX_FIRING_ALERTS } from '../feed/alertBook.js';
import { DEFAULT_MAX_SEQ_JUMP } from '../feed/sequence.js';
import { buildRunbooks } from './runbooks.js';
import { buildJudgedGate } from './sections/judgment.js';
import { buildNats, natsSchema } from './sections/room.js';
import { parseListen } from '../telemetry/listen.js';
import type {
  ActionConfig,
  CheckpointConfig,
  Config,
  ApprovalRule,
  DecisionConfig,
  GateConfig,
  HttpProbeSpec,
  HttpValueSpec,
  NotifySinkConfig,
  RampConfig,
  RoomConfig,
  SourceConfig,
  TelemetryConfig,
  SourceType,
  VerifyConfig,
} from './types.js';
import {
  actionSchema,
  actionsSchema,
  auditSchema,
  decisionSchema,
  deploymentSchema,
  gateSchema,
  ID,
  influenceSchema,
  KNOWN_KEYS,
  notifySinkSchema,
  NOTIFY_SINK_TYPES,
  kindOf,
  rampSchema,
  rolesSchema,
  roomSchema,
  telemetrySchema,
  waiverSchema,
  SOURCE_TYPES,
  sourceSchema,
  TOP_KEYS,
  verifySchema,
  type RawGate,
  type RawSource,
  type RawVerify,
} from './schema.js';

export interface BuildProblem {
  path: Path;
  message: string;
  /** Point at the key itself (unknown keys), not at its value. */
  atKey?: boolean;
}

const S = 1000;
export const BUILTIN_FEED_GATE = 'feed_page_alerts';

const DEFAULTS: Record<Exclude<SourceType, 'manual'>, { interval: number; timeout: number }> = {
  prometheus: { interval: 15 * S, timeout: 5 * S },
  scrape: { interval: 15 * S, timeout: 5 * S },
  websocket: { interval: 10 * S, timeout: 5 * S },
  command: { interval: 5 * 60 * S, timeout: 60 * S },
  files: { interval: 60 * S, timeout: 5 * S },
  http: { interval: 15 * S, timeout: 5 * S },
  alertmanager: { interval: 15 * S, timeout: 5 * S },
};

function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function at(root: unknown, rel: readonly PropertyKey[]): unknown {
  let v = root;
  for (const seg of rel) {
    if (v === null || typeof v !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(v, seg)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length]!;
}

export function suggestKey(key: string, known: readonly string[] = KNOWN_KEYS): string {
  if (key.length > 40) return '';
  const k = key.toLowerCase().replace(/-/g, '_');
  let best = '';
  let bestD = Infinity;
  for (const cand of new Set(known)) {
    const dd = distance(k, cand);
    if (dd < bestD) {
      bestD = dd;
      best = cand;
    }
  }
  return bestD > 0 && bestD <= Math.max(1, Math.floor(best.length / 4)) ? ` (did you mean "${best}"?)` : '';
}

const NOUN: Record<string, string> = { int: 'a whole number', object: 'a mapping', array: 'a list', string: 'text', number: 'a number', boolean: 'true or false' };

/** zod issues, reworded for someone editing YAML, with absolute paths. */
function translate(issue: z.core.$ZodIssue, value: unknown, base: Path, known: readonly string[]): BuildProblem[] {
  const rel = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
  const path = [...base, ...rel];
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((k) => ({ path: [...path, k], message: `unknown key "${k}"${suggestKey(k, known)}`, atKey: true }));
    case 'invalid_type': {
      const got = at(value, rel);
      if (got === undefined) return [{ path, message: 'required key is missing' }];
      return [{ path, message: `expected ${NOUN[issue.expected] ?? issue.expected}, got ${kindOf(got)}` }];
    }
    case 'invalid_union': {
      if ('discriminator' in issue && issue.discriminator) {
        const got = at(value, rel);
        const sink = base[0] === 'notify';
        const list = sink ? NOTIFY_SINK_TYPES.join(', ') : SOURCE_TYPES.join(', ');
        if (got === undefined) return [{ path, message: `required key is missing: one of ${list}` }];
        return [{ path, message: `unknown ${sink ? 'sink' : 'source'} type ${typeof got === 'string' ? `"${got}"` : kindOf(got)}: expected one of ${list}` }];
      }
      return [{ path, message: issue.message }];
    }
    case 'invalid_value': {
      const vals = issue.values.map((v) => String(v));
      return [{ path, message: vals.length === 1 ? `must be ${vals[0]}` : `must be one of ${vals.join(', ')}` }];
    }
    default:
      return [{ path, message: issue.message }];
  }
}

function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

/** Enough of a source to check references to it, even when its own entry has problems. */
interface SourceRef {
  id: string;
  type: Exclude<SourceType, 'manual'>;
}

interface Selector {
  query?: string;
  metric?: string;
  key?: string;
}

export const DEFAULT_SIGNOFF_MAX_AGE = 12 * 3600_000;

/** `~/.ssh/id_ed25519` as people write it in YAML. */
function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? homedir() + p.slice(1) : p;
}

export function buildConfig(raw: unknown, where: { file: string; baseDir: string }): { config?: Config; problems: BuildProblem[] } {
  const problems: BuildProblem[] = [];
  const add = (path: Path, message: string) => problems.push({ path, message });
  const parseAt = <T extends z.ZodType>(schema: T, value: unknown, base: Path): z.output<T> | undefined => {
    const r = schema.safeParse(value);
    if (r.success) return r.data;
    for (const issue of r.error.issues) problems.push(...translate(issue, value, base, KNOWN_KEYS));
    return undefined;
  };

  if (raw === null || raw === undefined) {
    add([], 'the file is empty: expected a mapping with version, deployment, sources and gates');
    return { problems };
  }
  if (!isMapping(raw)) {
    add([], `the top level must be a mapping (key: value), got ${kindOf(raw)}`);
    return { problems };
  }

  for (const k of Object.keys(raw)) {
    if (!(TOP_KEYS as readonly string[]).includes(k)) problems.push({ path: [k], message: `unknown key "${k}"${suggestKey(k)}`, atKey: true });
  }

  if (raw.version === undefined) add(['version'], 'required key is missing: version: 1');
  else if (raw.version !== 1) add(['version'], `must be 1, got ${typeof raw.version === 'string' ? `"${raw.version}"` : kindOf(raw.version)}`);

  const deployment = raw.deployment === undefined ? (add(['deployment'], 'required key is missing: deployment: { name: ... }'), undefined) : parseAt(deploymentSchema, raw.deployment, ['deployment']);
  const roles = raw.roles === undefined ? undefined : parseAt(rolesSchema, raw.roles, ['roles']);
  const rolesBroken = raw.roles !== undefined && roles === undefined;
  const checkRole = (role: string, path: Path) => {
    if (roles && !Object.prototype.hasOwnProperty.call(roles, role)) {
      add(path, `role "${role}" is not defined in roles (defined: ${Object.keys(roles).join(', ') || 'none'})`);
    }
  };
  // Approvals are counted by role: without `roles` nobody could approve, so say so here.
  const approvalRule = (a: { roles: string[]; count: number; expires: number } | undefined, path: Path): ApprovalRule | undefined => {
    if (!a) return undefined;
    if (raw.roles === undefined) add(path, 'approvals are counted by role: configure roles: first');
    a.roles.forEach((r, j) => checkRole(r, [...path, 'roles', j]));
    return { roles: [...new Set(a.roles)], count: a.count, expiresMs: a.expires };
  };

  // --- sources: ids of every entry (even broken ones, so gates that use them do not also
  // get "unknown source"), and the normalized ones that parsed.
  const sourceIds = new Set<string>();
  const sources: Record<string, SourceConfig> = {};
  const sourceRefs: Record<string, SourceRef> = {};
  if (raw.sources !== undefined && raw.sources !== null) {
    if (!isMapping(raw.sources)) add(['sources'], `expected a mapping of source id to source, got ${kindOf(raw.sources)}`);
    else {
      for (const [id, v] of Object.entries(raw.sources)) {
        sourceIds.add(id);
        const p: Path = ['sources', id];
        if (id === 'manual') {
          problems.push({ path: p, message: 'the source name "manual" is reserved for sign-off gates (source: manual); choose another name', atKey: true });
          continue;
        }
        if (!ID.test(id)) problems.push({ path: p, message: `source id "${id}" must start with a letter or digit and use only letters, digits, _ . -`, atKey: true });
        const t = isMapping(v) ? v.type : undefined;
        if ((SOURCE_TYPES as readonly unknown[]).includes(t)) sourceRefs[id] = { id, type: t as SourceRef['type'] };
        const s = parseAt(sourceSchema, v, p);
        if (s) sources[id] = normalizeSource(id, s, where.baseDir);
      }
    }
  }

  const sourceList = () => [...sourceIds].filter((s) => s !== 'manual').concat('manual').join(', ');
  /** For verify/influence: the source exists and the selector fits its type. */
  const refSource = (sel: Selector & { source: string }, base: Path): SourceRef | undefined => {
    if (sel.source === 'manual') {
      add([...base, 'source'], 'a manual source has no value to read here; name a configured source');
      return undefined;
    }
    if (!sourceIds.has(sel.source)) {
      add([...base, 'source'], `unknown source "${sel.source}" (configured: ${[...sourceIds].join(', ') || 'none'})`);
      return undefined;
    }
    return sourceRefs[sel.source];
  };

  // --- gates
  const gates: GateConfig[] = [];
  if (raw.gates === undefined || raw.gates === null) add(['gates'], 'required key is missing: gates: [ ... ] (at least one gate)');
  else if (!Array.isArray(raw.gates)) add(['gates'], `expected a list of gates, got ${kindOf(raw.gates)}`);
  else if (raw.gates.length === 0) add(['gates'], 'must list at least one gate');
  else {
    const seen = new Map<string, number>();
    raw.gates.forEach((rg: unknown, i: number) => {
      const p: Path = ['gates', i];
      const rid = isMapping(rg) && typeof rg.id === 'string' ? rg.id : undefined;
      if (rid !== undefined) {
        const first = seen.get(rid);
        if (first !== undefined) add([...p, 'id'], `duplicate gate id "${rid}" (first used by gates[${first}])`);
        else seen.set(rid, i);
      }
      const g = parseAt(gateSchema, rg, p);
      if (!g) {
        // Other problems must not hide this one: every problem is listed at once.
        const src = isMapping(rg) ? rg.source : undefined;
        if (typeof src === 'string' && src !== 'manual' && !sourceIds.has(src)) add([...p, 'source'], `unknown source "${src}" (configured: ${sourceList()})`);
        return;
      }
      const built = buildGate(g, p, { sourceIds, sources, sourceRefs, add, checkRole, sourceList });
      if (built) gates.push(built);
    });
  }

  // --- decision
  let decision: DecisionConfig = { unknown: 'nogo', warnWhenFailedAtMost: 0, requireSignoffs: [], signoffMaxAge: DEFAULT_SIGNOFF_MAX_AGE };
  if (raw.decision !== undefined && raw.decision !== null) {
    const d = parseAt(decisionSchema, raw.decision, ['decision']);
    if (d) {
      const req = d.require_signoffs ?? [];
      req.forEach((r, j) => checkRole(r, ['decision', 'require_signoffs', j]));
      decision = { unknown: d.unknown ?? 'nogo', warnWhenFailedAtMost: d.warn_when_failed_at_most ?? 0, requireSignoffs: [...new Set(req)], signoffMaxAge: d.signoff_max_age ?? DEFAULT_SIGNOFF_MAX_AGE };
      if (d.score) decision.score = { pass: d.score.pass, warning: d.score.warning };
      const o = approvalRule(d.override, ['decision', 'override']);
      if (o) decision.override = o;
    }
  }

  // --- waiver (approvals)
  let waiver: Config['waiver'];
  if (raw.waiver !== undefined && raw.waiver !== null) {
    const w = parseAt(waiverSchema, raw.waiver, ['waiver']);
    const a = approvalRule(w?.approvals, ['waiver', 'approvals']);
    if (a) waiver = { approvals: a };
  }

  // --- ramp
  let ramp: RampConfig | undefined;
  if (raw.ramp !== undefined && raw.ramp !== null) {
    const r = parseAt(rampSchema, raw.ramp, ['ramp']);
    if (r) {
      ramp = {
        start: r.start ?? 'manual',
        maxStep: r.max_step ?? 100,
        stages: r.stages.map((s) => ({
          influence: s.influence,
          hold: s.hold,
          checkpoints: [...(s.checkpoints ?? [])].sort((a, b) => a.at - b.at).map((c): CheckpointConfig => ({ at: c.at, label: c.label })),
        })),
      };
    }
  }

  // --- actions: each on its own, so one broken action does not hide the other's problems
  const actions: Config['actions'] = {};
  let runbookIds = new Set<string>();
  if (raw.actions !== undefined && raw.actions !== null) {
    const a = parseAt(actionsSchema, raw.actions, ['actions']);
    if (a) {
      const ks = a.kill_switch === undefined ? undefined : buildAction(a.kill_switch, ['actions', 'kill_switch'], 3);
      const si = a.set_influence === undefined ? undefined : buildAction(a.set_influence, ['actions', 'set_influence'], 0);
      if (ks) actions.killSwitch = ks;
      if (si) actions.setInfluence = si;
      if (a.runbooks !== undefined) {
        const rb = buildRunbooks(a.runbooks, ['actions', 'runbooks'], {
          parseAt,
          add,
          addKey: (path, message) => problems.push({ path, message, atKey: true }),
          buildAction,
          buildVerify,
          checkRole,
          rolesConfigured: raw.roles !== undefined,
        });
        runbookIds = rb.ids;
        if (Object.keys(rb.runbooks).length) actions.runbooks = rb.runbooks;
      }
    }
  }
  // SPEC §9.5: a gate's remedy names a runbook (broken ones count as named: their own problems say why).
  if (Array.isArray(raw.gates)) {
    (raw.gates as unknown[]).forEach((g, i) => {
      const remedy = isMapping(g) ? g.remedy : undefined;
      if (typeof remedy !== 'string' || runbookIds.has(remedy)) return;
      const known = [...runbookIds];
      add(['gates', i, 'remedy'], `unknown runbook "${remedy}" (actions.runbooks: ${known.length ? known.join(', ') : 'none configured'})`);
    });
  }
  function buildAction(rawAction: unknown, p: Path, defaultRetries: number): ActionConfig | undefined {
    if (isMapping(rawAction)) {
      const hasHttp = rawAction.http !== undefined;
      const hasArgv = rawAction.argv !== undefined;
      if (hasHttp && hasArgv) add(p, 'give either http: {...} or argv: [...], not both');
      if (!hasHttp && !hasArgv) add(p, 'needs http: { url: ... } or argv: [program, args...]');
    }
    const x = parseAt(actionSchema, rawAction, p);
    const rawVerify = isMapping(rawAction) ? rawAction.verify : undefined;
    const v = rawVerify === undefined ? undefined : parseAt(verifySchema, rawVerify, [...p, 'verify']);
    const verify = v && buildVerify(v, [...p, 'verify']);
    if (!x) return undefined;
    const timeout = x.timeout ?? 5 * S;
    const retries = x.retries ?? defaultRetries;
    if (x.http && x.argv) return undefined;
    if (x.http) {
      const h = x.http;
      return compact<ActionConfig>({ kind: 'http', method: h.method ?? 'POST', url: h.url, headers: h.headers ?? {}, body: h.body, followRedirects: h.follow_redirects, timeout, retries, verify });
    }
    if (x.argv) return compact<ActionConfig>({ kind: 'argv', argv: x.argv, timeout, retries, verify });
    return undefined;
  }
  function buildVerify(v: RawVerify, p: Path): VerifyConfig | undefined {
    const src = refSource(v, p);
    const sel = src ? checkSelector(src, v, p, add) : undefined;
    if (!sel) return undefined;
    return compact<VerifyConfig>({ source: v.source, ...sel, expect: v.expect, within: v.within ?? 30 * S });
  }

  // --- influence
  let influence: Config['influence'];
  if (raw.influence !== undefined && raw.influence !== null) {
    const inf = parseAt(influenceSchema, raw.influence, ['influence']);
    if (inf) {
      const src = refSource(inf, ['influence']);
      const sel = src ? checkSelector(src, inf, ['influence'], add) : undefined;
      if (sel) influence = compact({ source: inf.source, ...sel });
    }
  }

  // --- audit
  let auditDir = 'artifacts/audit';
  if (raw.audit !== undefined && raw.audit !== null) {
    const au = parseAt(auditSchema, raw.audit, ['audit']);
    if (au?.dir) auditDir = au.dir;
  }

  // --- room (signing)
  const room: RoomConfig = {};
  if (raw.room !== undefined && raw.room !== null) {
    const r = parseAt(roomSchema, raw.room, ['room']);
    if (r?.allowed_signers) room.allowedSigners = resolve(where.baseDir, expandHome(r.allowed_signers));
    if (r?.signing_key) room.signingKey = resolve(where.baseDir, expandHome(r.signing_key));
    // room.nats: its own section module (validated on its own, like every section).
    if (r?.nats !== undefined && r.nats !== null) {
      const n = parseAt(natsSchema, r.nats, ['room', 'nats']);
      if (n && deployment) room.nats = buildNats(n, deployment.name, where.baseDir);
    }
  }

  // --- notify (SPEC §9.4): each sink on its own
  const notify: NotifySinkConfig[] = [];
  if (raw.notify !== undefined && raw.notify !== null) {
    if (!Array.isArray(raw.notify)) add(['notify'], `expected a list of sinks, got ${kindOf(raw.notify)}`);
    else {
      raw.notify.forEach((rs: unknown, i: number) => {
        const n = parseAt(notifySinkSchema, rs, ['notify', i]);
        if (!n) return;
        if (n.every !== undefined && !n.on.includes('status') && !n.on.includes('all')) add(['notify', i, 'every'], 'every sends periodic status: add status (or all) to on');
        notify.push({
          type: n.type,
          index: i,
          url: n.type === 'pagerduty' ? (n.url ?? 'https://events.pagerduty.com').replace(/\/+$/, '') : n.url,
          headers: n.type === 'webhook' ? (n.headers ?? {}) : {},
          ...(n.type === 'pagerduty' ? { routingKey: n.routing_key } : {}),
          on: [...new Set(n.on)],
          ...(n.every !== undefined ? { every: n.every } : {}),
          throttle: n.throttle ?? 0,
          timeout: n.timeout ?? 5 * S,
          retries: n.retries ?? 3,
          queue: n.queue ?? 100,
        });
      });
    }
  }

  // --- telemetry (SPEC §9.4)
  let telemetry: TelemetryConfig | undefined;
  if (raw.telemetry !== undefined && raw.telemetry !== null) {
    const t = parseAt(telemetrySchema, raw.telemetry, ['telemetry']);
    if (t) {
      telemetry = {};
      if (t.otlp) telemetry.otlp = { endpoint: t.otlp.endpoint, headers: t.otlp.headers ?? {} };
      const listen = t.metrics_listen === undefined ? undefined : parseListen(t.metrics_listen);
      if (listen && !('error' in listen)) telemetry.metricsListen = listen;
    }
  }

  // --- the built-in feed gate: page alerts announced on the feed block the release.
  const firstWs = Object.values(sources).find((s) => s.type === 'websocket');
  if (firstWs) {
    const clash = gates.findIndex((g) => g.id === BUILTIN_FEED_GATE);
    if (clash >= 0 && Array.isArray(raw.gates)) {
      const idx = (raw.gates as unknown[]).findIndex((g) => isMapping(g) && g.id === BUILTIN_FEED_GATE);
      add(['gates', idx, 'id'], `"${BUILTIN_FEED_GATE}" is reserved for the built-in gate added when a websocket source is configured; choose another id`);
    } else {
      gates.push({
        id: BUILTIN_FEED_GATE,
        title: 'No firing page alerts on the feed',
        group: 'Alerting & Monitoring',
        severity: 'critical',
        source: firstWs.id,
        key: '@page_alerts',
        go: parseThreshold('== 0'),
        for: 0,
        staleAfter: firstWs.staleAfter,
        builtin: true,
      });
    }
  }

  if (problems.length || !deployment || rolesBroken) return { problems };
  const config: Config = {
    version: 1,
    file: where.file,
    baseDir: where.baseDir,
    deployment: { name: deployment.name, environment: deployment.environment ?? 'production' },
    sources,
    gates,
    decision,
    actions,
    audit: { dir: resolve(where.baseDir, auditDir) },
    room,
    ...(waiver ? { waiver } : {}),
    secrets: [],
  };
  if (roles) config.roles = roles;
  if (ramp) config.ramp = ramp;
  if (influence) config.influence = influence;
  if (notify.length) config.notify = notify;
  if (telemetry) config.telemetry = telemetry;
  return { config, problems };
}

function normalizeSource(id: string, s: RawSource, baseDir: string): SourceConfig {
  const d = DEFAULTS[s.type];
  const timeout = s.timeout ?? d.timeout;
  if (s.type === 'websocket') {
    // A feed pushes; there is no poll interval. 10s stands in for code that wants one.
    return {
      id,
      type: 'websocket',
      url: s.url,
      headers: s.headers ?? {},
      interval: d.interval,
      timeout,
      staleAfter: s.stale_after ?? 10 * S,
      maxSeqJump: s.max_seq_jump ?? DEFAULT_MAX_SEQ_JUMP,
      maxFiringAlerts: s.max_firing_alerts ?? DEFAULT_MAX_FIRING_ALERTS,
    };
  }
  const interval = s.interval ?? d.interval;
  const staleAfter = s.stale_after ?? 3 * interval;
  switch (s.type) {
    case 'prometheus':
    case 'scrape':
    case 'http':
      // Unset keys stay absent: the adapters apply the defaults (30s skew, same-origin redirects).
      return compact<SourceConfig>({
        id,
        type: s.type,
        url: s.url,
        headers: s.headers ?? {},
        interval,
        timeout,
        staleAfter,
        maxClockSkew: s.max_clock_skew,
        followRedirects: s.follow_redirects,
      });
    case 'command': {
      const c: SourceConfig = { id, type: 'command', argv: s.argv, interval, timeout, staleAfter };
      if (s.cwd !== undefined) c.cwd = resolve(baseDir, s.cwd);
      return c;
    }
    case 'files':
      return compact<SourceConfig>({ id, type: 'files', path: resolve(baseDir, s.path), interval, timeout, staleAfter, maxClockSkew: s.max_clock_skew });
    case 'alertmanager': {
      const bp = s.base_path?.replace(/\/+$/, '');
      return compact<SourceConfig>({
        id,
        type: 'alertmanager',
        url: s.url,
        headers: s.headers ?? {},
        basePath: bp === '' ? undefined : bp,
        interval,
        timeout,
        staleAfter,
        followRedirects: s.follow_redirects,
      });
    }
  }
}

/**
 * Which of query / metric / key a source type reads. Prometheus takes `metric` as a query,
 * normalized to `query` so adapters see one field.
 */
function checkSelector(src: SourceRef, sel: Selector, p: Path, add: (path: Path, m: string) => void): Selector | undefined {
  const given = (['query', 'metric', 'key'] as const).filter((k) => sel[k] !== undefined);
  const wrong = (k: string, why: string) => add([...p, k], `${k} is not used by ${src.type} source "${src.id}": ${why}`);
  let ok = true;
  switch (src.type) {
    case 'prometheus':
      if (sel.key !== undefined) (wrong('key', 'give a PromQL query'), (ok = false));
      if (sel.query !== undefined && sel.metric !== undefined) (add([...p, 'metric'], 'give query or metric, not both'), (ok = false));
      if (sel.query === undefined && sel.metric === undefined) (add([...p, 'query'], `required: prometheus source "${src.id}" needs a PromQL query (or metric)`), (ok = false));
      return ok ? { query: (sel.query ?? sel.metric)! } : undefined;
    case 'scrape':
      for (const k of given) if (k !== 'metric') (wrong(k, 'give metric: name{label="value"}'), (ok = false));
      if (sel.metric === undefined) (add([...p, 'metric'], `required: scrape source "${src.id}" needs a metric name`), (ok = false));
      return ok ? { metric: sel.metric! } : undefined;
    case 'websocket':
      for (const k of given) if (k !== 'key') (wrong(k, 'give key: the feed status key'), (ok = false));
      if (sel.key === undefined) (add([...p, 'key'], `required: websocket source "${src.id}" needs a feed key`), (ok = false));
      return ok ? { key: sel.key! } : undefined;
    case 'alertmanager':
      for (const k of given) (wrong(k, 'the value is the number of matching alerts; select them with filter: [\'name="value"\']'), (ok = false));
      return ok ? {} : undefined;
    case 'command':
    case 'files':
      for (const k of given) (wrong(k, src.type === 'command' ? 'the value is the exit code and first number on stdout' : 'the value is the newest file\'s age and status'), (ok = false));
      return ok ? {} : undefined;
    case 'http':
      for (const k of given) (wrong(k, 'give path (or url), and json_path, header or latency: true; the default value is the status code'), (ok = false));
      return ok ? {} : undefined;
  }
}

interface GateCtx {
  sourceIds: Set<string>;
  sources: Record<string, SourceConfig>;
  sourceRefs: Record<string, SourceRef>;
  add: (path: Path, message: string) => void;
  checkRole: (role: string, path: Path) => void;
  sourceList: () => string;
}

const FILE_KEYS = ['field', 'consecutive', 'no_failures_within'] as const;
const ALERT_KEYS = ['filter', 'silences'] as const;

function buildGate(g: RawGate, p: Path, ctx: GateCtx): GateConfig | undefined {
  const { add } = ctx;
  const before = { n: 0 };
  const err = (path: Path, m: string) => {
    before.n++;
    add(path, m);
  };
  const isRatio = (t?: Threshold) => t?.operand.kind === 'ratio';
  const base: GateConfig = compact<GateConfig>({
    id: g.id,
    title: g.title ?? g.id,
    group: g.group ?? 'General',
    severity: g.severity ?? 'critical',
    source: g.source,
    for: g.for ?? 0,
    staleAfter: 0,
    rollback: g.rollback,
    owner: g.owner,
    runbook: g.runbook,
    description: g.description?.trimEnd(),
    weight: g.weight,
    remedy: g.remedy,
  });

  if (g.source === 'manual') {
    if (g.signoff_role === undefined) err([...p, 'signoff_role'], 'required: a manual gate needs signoff_role (the role that signs it)');
    else ctx.checkRole(g.signoff_role, [...p, 'signoff_role']);
    for (const k of ['go', 'warn', 'query', 'metric', 'key', 'baseline', 'baseline_query', 'baseline_metric', 'max_age', 'stale_after', ...HTTP_GATE_KEYS, ...ALERT_KEYS, ...FILE_KEYS] as const) {
      if (g[k] !== undefined) err([...p, k], `${k} is not used by manual gates: they pass when signed`);
    }
    if (before.n) return undefined;
    return { ...base, signoffRole: g.signoff_role! };
  }

  if (g.signoff_role !== undefined) err([...p, 'signoff_role'], 'signoff_role is only for manual gates (source: manual)');
  // A watch-only gate must not be able to act either.
  if (g.severity === 'info' && g.rollback !== undefined) err([...p, 'rollback'], 'an info gate is watch-only: it never triggers a rollback (use severity critical)');
  if (g.warn && !g.go) err([...p, 'warn'], 'warn needs go: a value that is not go but meets warn shows WARN');
  const baselines = (['baseline', 'baseline_query', 'baseline_metric'] as const).filter((k) => g[k] !== undefined);
  if (baselines.length > 1) err([...p, baselines[1]!], `give only one of baseline, baseline_query, baseline_metric (found ${baselines.join(' and ')})`);
  if ((isRatio(g.go) || isRatio(g.warn)) && baselines.length === 0) {
    err([...p, isRatio(g.go) ? 'go' : 'warn'], 'an Nx threshold needs baseline, baseline_query or baseline_metric');
  }

  if (!ctx.sourceIds.has(g.source)) {
    err([...p, 'source'], `unknown source "${g.source}" (configured: ${ctx.sourceList()})`);
    return undefined;
  }
  // A source with problems of its own still has a type to check this gate against.
  const src = ctx.sourceRefs[g.source];
  if (!src) return undefined;

  if (g.compare !== undefined || g.trend !== undefined) {
    const full = ctx.sources[g.source];
    return before.n || !full ? undefined : buildJudgedGate(g, p, base, full, add);
  }
  const sel = checkSelector(src, g, p, err);
  if (g.baseline_query !== undefined && src.type !== 'prometheus') err([...p, 'baseline_query'], `baseline_query needs a prometheus source; "${src.id}" is ${src.type}`);
  if (g.baseline_metric !== undefined && src.type !== 'scrape') err([...p, 'baseline_metric'], `baseline_metric needs a scrape source; "${src.id}" is ${src.type}`);
  if (g.max_age !== undefined && src.type !== 'files') err([...p, 'max_age'], `max_age is only for files sources; "${src.id}" is ${src.type}`);
  for (const k of FILE_KEYS) if (g[k] !== undefined && src.type !== 'files') err([...p, k], `${k} is only for files sources; "${src.id}" is ${src.type}`);
  for (const k of ALERT_KEYS) if (g[k] !== undefined && src.type !== 'alertmanager') err([...p, k], `${k} is only for alertmanager sources; "${src.id}" is ${src.type}`);
  const watchOnly = g.severity === 'info';
  if (!g.go && !watchOnly && (src.type === 'prometheus' || src.type === 'scrape')) err([...p, 'go'], `required: a ${src.type} gate needs go (e.g. go: ">= 0.9")`);
  if (!g.go && src.type === 'files' && g.max_age === undefined) err([...p, 'go'], 'required: a files gate needs go (e.g. go: "== PASS") or max_age');
  if (src.type !== 'http') {
    for (const k of HTTP_GATE_KEYS) if (g[k] !== undefined) err([...p, k], `${k} is only for http sources; "${src.id}" is ${src.type}`);
  }
  const full = ctx.sources[g.source];
  const http = src.type === 'http' ? httpProbe(g, p, full?.type === 'http' ? full : undefined, err, watchOnly) : undefined;
  if (before.n || !sel || !full) return undefined;
  // Counting alerts: nothing firing is the only pass that needs no spelling out.
  const go = g.go ?? (src.type === 'alertmanager' ? parseThreshold('== 0') : undefined);

  return compact<GateConfig>({
    ...base,
    ...sel,
    baseline: g.baseline,
    baselineQuery: g.baseline_query,
    baselineMetric: g.baseline_metric,
    go,
    warn: g.warn,
    staleAfter: g.stale_after ?? full.staleAfter,
    maxAge: g.max_age,
    http,
    field: g.field,
    consecutive: g.consecutive,
    noFailuresWithin: g.no_failures_within,
    filter: g.filter?.map((f) => f.trim()),
    silences: g.silences,
  });
}

/** Gate keys that describe an HTTP request or which part of its answer is the value. */
const HTTP_GATE_KEYS = ['path', 'url', 'method', 'headers', 'body', 'json_body', 'timeout', 'json_path', 'header', 'header_match', 'latency'] as const;

/**
 * An http gate's request and value kind. `src` is undefined when the source itself has
 * problems: the gate's own keys are still checked, so every problem shows at once.
 */
function httpProbe(g: RawGate, p: Path, src: Extract<SourceConfig, { type: 'http' }> | undefined, err: (path: Path, m: string) => void, watchOnly: boolean): HttpProbeSpec | undefined {
  const n0 = { n: 0 };
  const bad = (k: string, m: string) => {
    n0.n++;
    err([...p, k], m);
  };
  if (g.path !== undefined && g.url !== undefined) bad('url', 'give path (joined to the source url) or url, not both');
  if (g.path !== undefined && /^[a-z][a-z0-9+.-]*:/i.test(g.path)) bad('path', 'path is joined to the source url; for another address use url:');
  const kinds = (['json_path', 'header', 'latency'] as const).filter((k) => g[k] !== undefined && g[k] !== false);
  if (kinds.length > 1) bad(kinds[1]!, `give one of json_path, header, latency (found ${kinds.join(' and ')})`);
  if (g.header_match !== undefined && g.header === undefined) bad('header_match', 'header_match needs header: the name of the header to match');
  if (g.json_path !== undefined) {
    const why = checkJsonPathSyntax(g.json_path);
    if (why) bad('json_path', why);
  }
  const method = g.method ?? 'GET';
  if (g.body !== undefined && g.json_body !== undefined) bad('json_body', 'give body or json_body, not both');
  if ((g.body !== undefined || g.json_body !== undefined) && (method === 'GET' || method === 'HEAD')) {
    bad(g.body !== undefined ? 'body' : 'json_body', `a ${method} request has no body; set method: POST (or PUT, PATCH, DELETE)`);
  }
  if (method === 'HEAD' && g.json_path !== undefined) bad('json_path', 'a HEAD answer has no body to read json_path from; use GET');
  // The source's timeout bounds the whole read (the poller cuts it there), so a longer one would never be waited for.
  if (g.timeout !== undefined && src && g.timeout > src.timeout) {
    bad('timeout', `longer than source "${src.id}"'s timeout ${formatMs(src.timeout)}, which bounds every read; raise the source's timeout`);
  }
  const value: HttpValueSpec =
    g.json_path !== undefined
      ? { kind: 'json_path', path: g.json_path }
      : g.header !== undefined
        ? compact<HttpValueSpec>({ kind: 'header', name: g.header.toLowerCase(), match: g.header_match })
        : g.latency === true
          ? { kind: 'latency' }
          : { kind: 'status' };
  // A status code, a latency or a header is truthy whatever it says: without go such a gate would always pass.
  if (!g.go && !watchOnly && value.kind !== 'json_path') {
    const eg = value.kind === 'status' ? '"== 200"' : value.kind === 'latency' ? '"< 0.2"' : '">= 15552000"';
    bad('go', `required: an http gate on the ${value.kind === 'status' ? 'status code' : value.kind} needs go (e.g. go: ${eg})`);
  }
  if (n0.n || !src) return undefined;
  let url: string;
  if (g.url !== undefined) url = g.url;
  else {
    try {
      url = joinSourceUrl(src.url, g.path ?? '');
    } catch (e) {
      bad('path', (e as Error).message);
      return undefined;
    }
  }
  return compact<HttpProbeSpec>({ url, method, headers: g.headers ?? {}, body: g.body, jsonBody: g.json_body, timeout: g.timeout, value });
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
