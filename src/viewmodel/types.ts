/** The shapes views read from the store, named in one place for them. */
export type { CriterionStatus, GateResult, Overall, SourceHealth } from '../core/types.js';
export type { GateConfig, HttpProbeSpec } from '../config/types.js';
export type { TriggerState } from '../ramp/triggers.js';
export type { CheckpointView } from '../ramp/timeline.js';
