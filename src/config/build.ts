/**
 * From the parsed YAML to a Config: the orchestrator of the section builders (sections/*.ts,
 * each section on its own so one broken section does not hide the problems of the others; one
 * module per source type in sources/*.ts). Every problem is collected; a config is returned
 * only when there are none.
 */
import { isMapping, suggestKey, type BuildProblem } from './problemText.js';
import { kindOf, TOP_KEYS } from './schema.js';
import { buildActions, buildInfluence } from './sections/actions.js';
import { createContext, type BuildContext } from './sections/context.js';
import { buildDecision, buildWaiver } from './sections/decision.js';
import { addFeedGate } from './sections/feedGate.js';
import { buildGates } from './sections/gates.js';
import { buildNotify } from './sections/notify.js';
import { buildRamp } from './sections/ramp.js';
import { buildRoles } from './sections/roles.js';
import { buildAuditDir, buildRoom } from './sections/room.js';
import { buildSources } from './sections/sources.js';
import { buildTelemetry } from './sections/telemetry.js';
import { deploymentSchema } from './schema.js';
import type { Config } from './types.js';

export type { BuildProblem } from './problemText.js';
export { suggestKey } from './problemText.js';
export { BUILTIN_FEED_GATE } from './sections/feedGate.js';
export { DEFAULT_SIGNOFF_MAX_AGE } from './sections/decision.js';

export function buildConfig(raw: unknown, where: { file: string; baseDir: string }): { config?: Config; problems: BuildProblem[] } {
  if (raw === null || raw === undefined) return { problems: [{ path: [], message: 'the file is empty: expected a mapping with version, deployment, sources and gates' }] };
  if (!isMapping(raw)) return { problems: [{ path: [], message: `the top level must be a mapping (key: value), got ${kindOf(raw)}` }] };
  const ctx = createContext(raw, where);
  const deployment = topLevel(ctx);
  const roles = buildRoles(ctx);
  const srcs = buildSources(ctx);
  const gates = buildGates(ctx, roles, srcs);
  const decision = buildDecision(ctx, roles);
  const waiver = buildWaiver(ctx, roles);
  const ramp = buildRamp(ctx);
  const actions = buildActions(ctx, roles, srcs);
  const influence = buildInfluence(ctx, srcs);
  const auditDir = buildAuditDir(ctx);
  const room = buildRoom(ctx, deployment?.name);
  const notify = buildNotify(ctx);
  const telemetry = buildTelemetry(ctx);
  addFeedGate(ctx, srcs.sources, gates);

  if (ctx.problems.length || !deployment || roles.broken) return { problems: ctx.problems };
  const config: Config = {
    version: 1,
    file: where.file,
    baseDir: where.baseDir,
    deployment: { name: deployment.name, environment: deployment.environment ?? 'production' },
    sources: srcs.sources,
    gates,
    decision,
    actions,
    audit: { dir: auditDir },
    room,
    ...(waiver ? { waiver } : {}),
    secrets: [],
  };
  if (roles.roles) config.roles = roles.roles;
  if (ramp) config.ramp = ramp;
  if (influence) config.influence = influence;
  if (notify.length) config.notify = notify;
  if (telemetry) config.telemetry = telemetry;
  return { config, problems: ctx.problems };
}

/** Unknown top-level keys, `version: 1`, and `deployment:`. */
function topLevel(ctx: BuildContext) {
  const { raw, add } = ctx;
  for (const k of Object.keys(raw)) {
    if (!(TOP_KEYS as readonly string[]).includes(k)) ctx.addKey([k], `unknown key "${k}"${suggestKey(k)}`);
  }
  if (raw.version === undefined) add(['version'], 'required key is missing: version: 1');
  else if (raw.version !== 1) add(['version'], `must be 1, got ${typeof raw.version === 'string' ? `"${raw.version}"` : kindOf(raw.version)}`);
  if (raw.deployment === undefined) return (add(['deployment'], 'required key is missing: deployment: { name: ... }'), undefined);
  return ctx.parseAt(deploymentSchema, raw.deployment, ['deployment']);
}
