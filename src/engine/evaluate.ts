/** Evaluates every gate of a config against the latest readings: the engine's one entry point. */
import type { Config } from '../config/types.js';
import type { GateResult, OverallResult, Reading, Signoff, Waiver } from '../core/types.js';
import { decide } from './decide.js';
import { evaluateGate, type GateMemory } from './gate.js';
import { baselineProbeId, gateProbeId } from './probes.js';

export interface EngineInput {
  now: number;
  readings: Readonly<Record<string, Reading | undefined>>;
  signoffs: readonly Signoff[];
  waivers: readonly Waiver[];
  /** Why a source that is down failed, by source id: the reason of a gate it never fed. */
  sourceErrors?: Readonly<Record<string, string | undefined>>;
  /** The console and `check --watch` look again and again: judged gates use the repeated-looks rule. */
  repeatedLooks?: boolean;
}

export interface EngineOutput {
  results: Record<string, GateResult>;
  overall: OverallResult;
  memory: Record<string, GateMemory>;
}

export function evaluateAll(
  config: Pick<Config, 'gates' | 'decision'>,
  input: EngineInput,
  memory: Readonly<Record<string, GateMemory>> = {},
): EngineOutput {
  const results: Record<string, GateResult> = {};
  const nextMemory: Record<string, GateMemory> = {};
  for (const gate of config.gates) {
    const gi: Parameters<typeof evaluateGate>[1] = {
      now: input.now,
      signoffs: input.signoffs,
      waivers: input.waivers,
    };
    const reading = input.readings[gateProbeId(gate.id)];
    const baseline = input.readings[baselineProbeId(gate.id)];
    const mem = memory[gate.id];
    if (reading) gi.reading = reading;
    if (baseline) gi.baseline = baseline;
    if (mem) gi.memory = mem;
    const down = input.sourceErrors?.[gate.source];
    if (down) gi.sourceError = down;
    if (input.repeatedLooks) gi.repeated = true;
    const { result, memory: m } = evaluateGate(gate, gi);
    results[gate.id] = result;
    nextMemory[gate.id] = m;
  }
  const overall = decide(config.gates, results, config.decision, input.signoffs);
  return { results, overall, memory: nextMemory };
}
