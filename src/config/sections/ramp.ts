/** `ramp:`: stages, holds and checkpoints (sorted by time). */
import { rampSchema } from '../schema.js';
import type { CheckpointConfig, RampConfig } from '../types.js';
import type { BuildContext } from './context.js';

export function buildRamp(ctx: BuildContext): RampConfig | undefined {
  const raw = ctx.section('ramp');
  if (raw === undefined) return undefined;
  const r = ctx.parseAt(rampSchema, raw, ['ramp']);
  if (!r) return undefined;
  return {
    start: r.start ?? 'manual',
    maxStep: r.max_step ?? 100,
    stages: r.stages.map((s) => ({
      influence: s.influence,
      hold: s.hold,
      checkpoints: [...(s.checkpoints ?? [])].sort((a, b) => a.at - b.at).map((c): CheckpointConfig => ({ at: c.at, label: c.label })),
    })),
  };
}
