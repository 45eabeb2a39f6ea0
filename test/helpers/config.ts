/** A small normalized Config for unit and view tests (no YAML); and YAML configs that share a head. */
import { loadConfigText, type LoadResult } from '../../src/config/load.js';
import type { Config, ConfigProblem, GateConfig } from '../../src/config/types.js';
import { gate } from './gates.js';

export function testConfig(over: Partial<Config> = {}, gates?: GateConfig[]): Config {
  return {
    version: 1,
    file: '/tmp/warroom.yaml',
    baseDir: '/tmp',
    deployment: { name: 'rl-policy-v42', environment: 'production' },
    sources: {
      exporter: { id: 'exporter', type: 'scrape', url: 'http://127.0.0.1:1/metrics', headers: {}, interval: 5000, timeout: 2000, staleAfter: 15_000 },
    },
    gates: gates ?? [
      gate({ id: 'entropy', title: 'Policy entropy', group: 'Policy health', go: '>= 0.9', warn: '>= 0.8', metric: 'policy_entropy' }),
      gate({ id: 'q_spread', title: 'Q-value spread', group: 'Policy health', go: '<= 2x', baseline: 1.4, metric: 'q_value_spread', rollback: 'auto' }),
      gate({ id: 'errors', title: 'Error ratio', group: 'Service', go: '<= 0.01', metric: 'err' }),
      gate({ id: 'latency', title: 'p99 latency', group: 'Service', go: '<= 0.3', metric: 'p99', severity: 'advisory' }),
      gate({ id: 'oncall_ack', title: 'On-call ACK', group: 'Readiness', source: 'manual', signoffRole: 'on_call' }),
    ],
    decision: { unknown: 'nogo', warnWhenFailedAtMost: 0, requireSignoffs: [], signoffMaxAge: 12 * 3600_000 },
    room: {},
    actions: {},
    audit: { dir: '/tmp/warroom-test-audit' },
    secrets: [],
    ...over,
  };
}

/**
 * Configs that are `head` plus a `gates:` body: `ok` the normalised Config (throws with every
 * problem when there are any), `bad` the problems (throws when there are none).
 */
export function yamlConfigs(head: string): { load(gates: string): LoadResult; ok(gates: string): Config; bad(gates: string): ConfigProblem[] } {
  const load = (gates: string): LoadResult => loadConfigText(head + gates, { file: '/srv/wr/warroom.yaml', env: {} });
  return {
    load,
    ok(gates) {
      const r = load(gates);
      if (!r.ok) throw new Error(r.problems.map((p) => `${p.line} ${p.path}: ${p.message}`).join('\n'));
      return r.config;
    },
    bad(gates) {
      const r = load(gates);
      if (r.ok) throw new Error('expected problems');
      return r.problems;
    },
  };
}
