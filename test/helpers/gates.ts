/** Builders for gate configs and readings in engine tests. */
import type { GateConfig } from '../../src/config/types.js';
import { parseThreshold } from '../../src/config/threshold.js';
import type { Reading } from '../../src/core/types.js';

type GateSpec = Omit<Partial<GateConfig>, 'go' | 'warn'> & { id: string; go?: string; warn?: string };

export function gate(spec: GateSpec): GateConfig {
  const { go, warn, ...rest } = spec;
  const g: GateConfig = {
    title: spec.id,
    group: 'General',
    severity: 'critical',
    source: 'exporter',
    for: 0,
    staleAfter: 30_000,
    ...rest,
  };
  if (go) g.go = parseThreshold(go);
  if (warn) g.warn = parseThreshold(warn);
  return g;
}

export const reading = (value: Reading['value'], observedAt: number, extra: Partial<Reading> = {}): Reading => ({
  value,
  observedAt,
  ...extra,
});
