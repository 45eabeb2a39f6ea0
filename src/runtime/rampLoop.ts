/**
 * The ramp and its rollback triggers, stepped on every engine flush: observed influence →
 * stage and checkpoints; gate results → trigger states and effects (raise, arm, fire …)
 * that the console turns into banners, kill-switches and ledger lines.
 */
import type { Config } from '../config/types.js';
import type { GateResult } from '../core/types.js';
import { rampView, type CheckpointAck, type RampView } from '../ramp/timeline.js';
import { initialRamp, observeInfluence, type RampMemory } from '../ramp/tracker.js';
import { bannerOf, cancelArmed, stepTriggers, type TriggerEffect, type TriggerState } from '../ramp/triggers.js';

export interface RampStep {
  view?: RampView;
  banner: TriggerState[];
  effects: TriggerEffect[];
}

export class RampLoop {
  private memory: RampMemory | undefined;
  private triggers: Record<string, TriggerState> = {};
  private acks: CheckpointAck[] = [];
  private readonly rollbackGates: { id: string; rollback?: 'prompt' | 'auto' }[];

  constructor(private readonly config: Config, now: number) {
    if (config.ramp) this.memory = initialRamp(config.ramp, now);
    this.rollbackGates = config.gates.filter((g) => g.rollback).map((g) => ({ id: g.id, ...(g.rollback ? { rollback: g.rollback } : {}) }));
  }

  setAcks(acks: CheckpointAck[]): void {
    this.acks = acks;
  }

  step(now: number, results: Record<string, GateResult>, influence: { pct?: number; at?: number }): RampStep {
    const ramp = this.config.ramp;
    if (ramp && this.memory && influence.pct !== undefined) {
      this.memory = observeInfluence(ramp, this.memory, influence.pct, influence.at ?? now);
    }
    const t = stepTriggers(this.triggers, { gates: this.rollbackGates, results, influencePct: influence.pct, now });
    this.triggers = t.states;
    const out: RampStep = { banner: bannerOf(this.triggers), effects: t.effects };
    if (ramp && this.memory) out.view = rampView(ramp, this.memory, this.acks, now);
    return out;
  }

  /** `a` on an armed auto-rollback: the soonest armed trigger is cancelled. */
  cancel(now: number): RampStep {
    const t = cancelArmed(this.triggers, undefined, now);
    this.triggers = t.states;
    return { banner: bannerOf(this.triggers), effects: t.effects };
  }
}
