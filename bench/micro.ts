/** In-process gate-engine timing: evaluateAll over 1,000 gates, many iterations. */
import { loadConfigText, formatProblems } from '../src/config/load.js';
import { evaluateAll } from '../src/engine/evaluate.js';
import { gateProbeId } from '../src/engine/probes.js';
import type { GateMemory } from '../src/engine/gate.js';
import type { Reading } from '../src/core/types.js';
import { benchConfigYaml } from './config.js';

/** Milliseconds per evaluateAll call, one sample per iteration (after warm-up). */
export function evaluateSamples(gates: number, iterations: number): number[] {
  const yaml = benchConfigYaml(gates, { exporterUrl: 'http://127.0.0.1:1/metrics', feedUrl: 'ws://127.0.0.1:1/status', controlUrl: 'http://127.0.0.1:1', auditDir: '/tmp/warroom-bench-unused' });
  const loaded = loadConfigText(yaml, { file: 'bench.yaml', env: {} });
  if (!loaded.ok) throw new Error(`bench config invalid:\n${formatProblems(loaded.problems, 'bench.yaml')}`);
  const config = loaded.config;
  const now0 = Date.now();
  let memory: Record<string, GateMemory> = {};
  const readingsAt = (k: number, now: number): Record<string, Reading> => {
    const r: Record<string, Reading> = { [gateProbeId('killswitch_tested')]: { value: true, observedAt: now } };
    for (let i = 0; i < gates; i++) r[gateProbeId(`g${i}`)] = { value: (i + k) % 50, observedAt: now - 200 };
    return r;
  };
  // Readings are built up front (two alternating sets, re-stamped by moving `now`), so the
  // harness's own garbage does not land in the timed calls as GC pauses.
  const sets = [readingsAt(0, now0), readingsAt(7, now0)];
  const samples: number[] = [];
  const warmup = Math.min(50, iterations);
  for (let k = 0; k < warmup + iterations; k++) {
    const now = now0 + (k % 10) * 100;
    const input = { now, readings: sets[k % 2]!, signoffs: [], waivers: [] };
    const t0 = performance.now();
    memory = evaluateAll(config, input, memory).memory;
    const dt = performance.now() - t0;
    if (k >= warmup) samples.push(dt);
  }
  return samples;
}
