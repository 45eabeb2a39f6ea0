import { describe, it, expect } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { SimModel } from '../../src/sim/model.js';
import { formatValue, renderExposition } from '../../src/sim/exposition.js';

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
const VALUE = '(?:NaN|[+-]Inf|[+-]?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?)';
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(?:${LABEL}(?:,${LABEL})*,?)?\\})? ${VALUE}(?: -?\\d+)?$`);
const HELP = new RegExp(`^# HELP (${NAME}) .*$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);

/** Checks 0.0.4 grammar line by line and that every sample follows its family's HELP/TYPE. */
function checkExposition(text: string): Map<string, string> {
  expect(text.endsWith('\n')).toBe(true);
  const types = new Map<string, string>();
  const helps = new Set<string>();
  for (const line of text.slice(0, -1).split('\n')) {
    let m: RegExpExecArray | null;
    if ((m = HELP.exec(line))) helps.add(m[1]!);
    else if ((m = TYPE.exec(line))) types.set(m[1]!, m[2]!);
    else {
      m = SAMPLE.exec(line);
      expect(m, `line does not match the exposition grammar: ${JSON.stringify(line)}`).not.toBeNull();
      const name = m![1]!;
      const family = types.has(name) ? name : name.replace(/_(bucket|sum|count)$/, '');
      expect(types.has(family), `no TYPE before ${name}`).toBe(true);
      expect(helps.has(family), `no HELP before ${name}`).toBe(true);
      if (family !== name) expect(types.get(family)).toBe('histogram');
    }
  }
  return types;
}

describe('exposition', () => {
  it('renders every family with HELP/TYPE in valid 0.0.4 grammar', () => {
    const clock = new FakeClock();
    const m = new SimModel({ clock, scenario: 'page-alert' });
    m.control({ kind: 'set', pct: 10 });
    clock.advance(30_000);
    const text = renderExposition(m.snapshot());
    const types = checkExposition(text);
    expect(Object.fromEntries(types)).toMatchObject({
      policy_influence_pct: 'gauge',
      policy_entropy: 'gauge',
      q_value_spread: 'gauge',
      http_requests_total: 'counter',
      request_latency_seconds: 'histogram',
      inference_cost_usd_total: 'counter',
      sim_page_alerts_firing: 'gauge',
      sim_killswitch_engaged: 'gauge',
      sim_error_ratio: 'gauge',
      sim_latency_p99_seconds: 'gauge',
    });
    expect(text).toMatch(/^policy_influence_pct 10$/m);
    expect(text).toMatch(/^policy_entropy\{policy="live"\} 0\.9\d*$/m);
    expect(text).toMatch(/^policy_entropy\{policy="shadow"\} 0\.9\d*$/m);
    expect(text).toMatch(/^http_requests_total\{status="200"\} \d+$/m);
    expect(text).toMatch(/^http_requests_total\{status="500"\} \d+$/m);
    expect(text).toMatch(/^sim_page_alerts_firing 1$/m);
    expect(text).toMatch(/^sim_killswitch_engaged 0$/m);
    for (const le of ['0.05', '0.1', '0.25', '0.5', '1', '2.5', '+Inf']) {
      expect(text).toContain(`request_latency_seconds_bucket{le="${le}"} `);
    }
    const inf = /request_latency_seconds_bucket\{le="\+Inf"\} (\d+)/.exec(text)![1];
    const count = /request_latency_seconds_count (\d+)/.exec(text)![1];
    expect(inf).toBe(count);
    expect(Number(count)).toBe(40 * 30);
  });

  it('the grammar checker rejects malformed lines (so the test above can fail)', () => {
    expect(() => checkExposition('# TYPE x gauge\n# HELP x h\nx{a="b} 1\n')).toThrow();
    expect(() => checkExposition('y 1\n')).toThrow(/no TYPE/);
    expect(() => checkExposition('# HELP z h\n# TYPE z gauge\nz one\n')).toThrow();
  });

  it('formats special values the Prometheus way', () => {
    expect(formatValue(Infinity)).toBe('+Inf');
    expect(formatValue(-Infinity)).toBe('-Inf');
    expect(formatValue(NaN)).toBe('NaN');
    expect(formatValue(0.25)).toBe('0.25');
  });
});
