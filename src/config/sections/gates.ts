/**
 * `gates:`: each gate checked on its own (every problem is listed at once), against its source's
 * type: the selector it reads, the keys only other types take, the type's own rules and extras
 * (../sources/<type>.ts).
 */
import type { Path } from '../interpolate.js';
import { isMapping } from '../problemText.js';
import { gateSchema, type RawGate } from '../gateSchema.js';
import { kindOf } from '../schemaParts.js';
import { SOURCE_TYPE_DEFS, sourceTypeDef } from '../sources/index.js';
import { compact, type GateCheck } from '../sources/types.js';
import type { Threshold } from '../threshold.js';
import type { GateConfig } from '../types.js';
import type { BuildContext } from './context.js';
import type { Roles } from './roles.js';
import { checkSelector, type Sources } from './sources.js';
import { buildJudgedGate } from './judgment.js';

/** Keys a manual gate never takes: it passes when signed. */
const NOT_FOR_MANUAL = [
  ...new Set<keyof RawGate>(['go', 'warn', 'query', 'metric', 'key', 'baseline', 'baseline_query', 'baseline_metric', 'max_age', 'stale_after', ...SOURCE_TYPE_DEFS.flatMap((d) => d.gateKeys ?? [])]),
];

export function buildGates(ctx: BuildContext, roles: Roles, srcs: Sources): GateConfig[] {
  const { raw, add } = ctx;
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
      const g = ctx.parseAt(gateSchema, rg, p);
      if (!g) {
        // Other problems must not hide this one: every problem is listed at once.
        const src = isMapping(rg) ? rg.source : undefined;
        if (typeof src === 'string' && src !== 'manual' && !srcs.ids.has(src)) add([...p, 'source'], `unknown source "${src}" (configured: ${srcs.list()})`);
        return;
      }
      const built = buildGate(g, p, ctx, roles, srcs);
      if (built) gates.push(built);
    });
  }
  return gates;
}

function buildGate(g: RawGate, p: Path, ctx: BuildContext, roles: Roles, srcs: Sources): GateConfig | undefined {
  const count = { n: 0 };
  const err = (path: Path, m: string) => {
    count.n++;
    ctx.add(path, m);
  };
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
    else roles.checkRole(g.signoff_role, [...p, 'signoff_role']);
    for (const k of NOT_FOR_MANUAL) if (g[k] !== undefined) err([...p, k], `${k} is not used by manual gates: they pass when signed`);
    if (count.n) return undefined;
    return { ...base, signoffRole: g.signoff_role! };
  }

  commonRules(g, p, err);
  if (!srcs.ids.has(g.source)) {
    err([...p, 'source'], `unknown source "${g.source}" (configured: ${srcs.list()})`);
    return undefined;
  }
  // A source with problems of its own still has a type to check this gate against.
  const src = srcs.refs[g.source];
  if (!src) return undefined;

  // compare:/trend: gates judge a window of samples (sections/judgment.ts), not one value.
  if (g.compare !== undefined || g.trend !== undefined) {
    const full = srcs.sources[g.source];
    return count.n || !full ? undefined : buildJudgedGate(g, p, base, full, (path, m) => err(path, m));
  }
  const sel = checkSelector(src, g, p, err);
  for (const def of SOURCE_TYPE_DEFS) {
    if (def.type === src.type) continue;
    for (const k of def.gateKeys ?? []) if (g[k] !== undefined) err([...p, k], def.foreignKey!(k, src));
  }
  const full = srcs.sources[g.source];
  const check: GateCheck = { g, p, src, full, err, watchOnly: g.severity === 'info' };
  const own = sourceTypeDef(src.type);
  own.checkGate?.(check);
  const extras = own.gateExtras?.(check);
  if (count.n || !sel || !full) return undefined;

  return compact<GateConfig>({
    ...base,
    ...sel,
    baseline: g.baseline,
    baselineQuery: g.baseline_query,
    baselineMetric: g.baseline_metric,
    go: g.go ?? extras?.go,
    warn: g.warn,
    staleAfter: g.stale_after ?? full.staleAfter,
    maxAge: g.max_age,
    http: extras?.http,
    field: g.field,
    consecutive: g.consecutive,
    noFailuresWithin: g.no_failures_within,
    filter: g.filter?.map((f) => f.trim()),
    silences: g.silences,
  });
}

/** Rules for every polled gate, whatever its source. */
function commonRules(g: RawGate, p: Path, err: (path: Path, m: string) => void): void {
  const isRatio = (t?: Threshold) => t?.operand.kind === 'ratio';
  if (g.signoff_role !== undefined) err([...p, 'signoff_role'], 'signoff_role is only for manual gates (source: manual)');
  // A watch-only gate must not be able to act either.
  if (g.severity === 'info' && g.rollback !== undefined) err([...p, 'rollback'], 'an info gate is watch-only: it never triggers a rollback (use severity critical)');
  if (g.warn && !g.go) err([...p, 'warn'], 'warn needs go: a value that is not go but meets warn shows WARN');
  const baselines = (['baseline', 'baseline_query', 'baseline_metric'] as const).filter((k) => g[k] !== undefined);
  if (baselines.length > 1) err([...p, baselines[1]!], `give only one of baseline, baseline_query, baseline_metric (found ${baselines.join(' and ')})`);
  if ((isRatio(g.go) || isRatio(g.warn)) && baselines.length === 0) {
    err([...p, isRatio(g.go) ? 'go' : 'warn'], 'an Nx threshold needs baseline, baseline_query or baseline_metric');
  }
}
