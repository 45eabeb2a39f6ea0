import { describe, expect, it } from 'vitest';
import { BATCH_MAX_PARTS, batchQuery, groupParts, PART_LABEL, selfContained, splitBatch } from '../../src/sources/promBatch.js';
import { planTasks } from '../../src/sources/prometheus.js';

const series = (part: string | undefined, value: [number, string], labels: Record<string, string> = {}) => ({ metric: part === undefined ? labels : { ...labels, [PART_LABEL]: part }, value });

describe('batched instant queries', () => {
  it('wraps each part with its index and joins them with or', () => {
    expect(batchQuery(['up', 'sum(rate(x[5m])) by (le)'])).toBe(`label_replace((up), "${PART_LABEL}", "0", "", "") or label_replace((sum(rate(x[5m])) by (le)), "${PART_LABEL}", "1", "", "")`);
  });

  it('groups by count and by length, in order; an over-long query stands alone', () => {
    const qs = Array.from({ length: 120 }, (_, i) => `q${i}`);
    const g = groupParts(qs, (q) => q);
    expect(g.map((x) => x.length)).toEqual([BATCH_MAX_PARTS, BATCH_MAX_PARTS, 20]);
    expect(g.flat()).toEqual(qs);
    const long = 'x'.repeat(500);
    expect(groupParts(['a', long, 'b'], (q) => q, 50, 300)).toEqual([['a'], [long], ['b']]);
  });

  it('splits the answer back by part: one series is the value, none or several are that part\'s error', () => {
    const parts = splitBatch(
      {
        resultType: 'vector',
        result: [series('0', [1700000000, '0.5']), series('2', [1700000000, '1'], { __name__: 'multi', k: 'a' }), series('2', [1700000000, '2'], { __name__: 'multi', k: 'b' })],
      },
      3,
    );
    expect(parts).toEqual([{ point: [1700000000, '0.5'] }, { error: 'query returned no series' }, { error: expect.stringMatching(/^2 series match the query; aggregate or add label matchers: .*k="a"/) }]);
    expect((parts![2] as { error: string }).error).not.toContain(PART_LABEL);
  });

  it('anything but a clean batch answer is undefined (each part is then asked alone)', () => {
    expect(splitBatch({ resultType: 'scalar', result: [1, '1'] }, 2)).toBeUndefined();
    expect(splitBatch({ resultType: 'vector', result: [series(undefined, [1, '1'])] }, 2)).toBeUndefined();
    expect(splitBatch({ resultType: 'vector', result: [series('2', [1, '1'])] }, 2)).toBeUndefined();
    expect(splitBatch({ resultType: 'vector', result: [series('-1', [1, '1'])] }, 2)).toBeUndefined();
    expect(splitBatch({ resultType: 'vector', result: [null] }, 2)).toBeUndefined();
    expect(splitBatch({ resultType: 'vector', result: 'x' }, 2)).toBeUndefined();
    expect(splitBatch(undefined, 2)).toBeUndefined();
  });

  it('only a self-contained query goes in a batch: brackets balanced outside strings, no comment', () => {
    for (const q of ['up', 'sum(rate(http_requests_total{status=~"5..",path="/a(b"}[5m])) by (le)', `count(x{a='it\\'s ) ['}) or vector(0)`, 'label_replace(up, "a", "$1", "b", "(.*)")', 'x{a=`raw \\d )`}']) {
      expect(selfContained(q), q).toBe(true);
    }
    // Each of these alone is a PromQL error; two of them in one batch could parse, and one gate's
    // series would carry another gate's index.
    const forged = ['vector(0)), "__warroom_part", "1", "", "") or label_replace((vector(42)', 'vector(1)) or (vector(2)'];
    for (const q of [...forged, 'sum(rate(x[5m])', 'x)', '(y', 'a{b="c}', 'up # a comment', 'x]', '(]']) {
      expect(selfContained(q), q).toBe(false);
    }
    expect(planTasks([{ id: 'a', query: forged[0] }, { id: 'b', query: 'up' }, { id: 'c', query: 'down' }], new Set())).toEqual([{ batch: [1, 2] }, { one: 0 }]);
  });

  it('plans instant queries in batches; range reads, queries asked alone and a lone query one by one', () => {
    const probes = [
      { id: 'a', query: 'a' },
      { id: 'r', query: 'r', range: { window: 60_000, step: 10_000, role: 'series' as const } },
      { id: 'b', metric: 'b' },
      { id: 's', query: 'scalar(x)' },
      { id: 'c', query: 'c' },
      { id: 'none' },
    ];
    expect(planTasks(probes, new Set(['scalar(x)']))).toEqual([{ batch: [0, 2, 4] }, { one: 1 }, { one: 3 }, { one: 5 }]);
    // Batching off: everything one by one, as before batching.
    expect(planTasks(probes, undefined)).toEqual([0, 1, 2, 3, 4, 5].map((one) => ({ one })));
    // A single batchable query is not a batch.
    expect(planTasks([{ id: 'a', query: 'a' }, { id: 'r', query: 'r', range: { window: 1, step: 1, role: 'series' as const } }], new Set())).toEqual([{ one: 0 }, { one: 1 }]);
  });
});
