import { describe, expect, it } from 'vitest';
import type { ExpoSample } from '../../src/sources/exposition.js';
import { formatLabels, parseSelector, SampleIndex, selectSamples, SelectorError } from '../../src/sources/selector.js';

const S = (name: string, labels: Record<string, string>, value = 1): ExpoSample => ({ name, labels, value });
const samples = [
  S('policy_entropy', { policy: 'live', region: 'eu-west' }, 0.93),
  S('policy_entropy', { policy: 'shadow', region: 'eu-west' }, 0.5),
  S('policy_entropy', { policy: 'live', region: 'us-east' }, 0.91),
  S('policy_entropy', { policy: 'canary' }, 0.7),
  S('other', { policy: 'live' }, 9),
];
const pick = (sel: string) => selectSamples(samples, parseSelector(sel)).map((s) => s.value);

describe('parseSelector / selectSamples', () => {
  it('matches by name alone', () => {
    expect(pick('policy_entropy')).toEqual([0.93, 0.5, 0.91, 0.7]);
    expect(pick('  other ')).toEqual([9]);
  });
  it('supports = != =~ !~', () => {
    expect(pick('policy_entropy{policy="live"}')).toEqual([0.93, 0.91]);
    expect(pick('policy_entropy{policy="live",region!="us-east"}')).toEqual([0.93]);
    expect(pick('policy_entropy{region=~"eu-.*"}')).toEqual([0.93, 0.5]);
    expect(pick('policy_entropy{region!~"eu-.*"}')).toEqual([0.91, 0.7]);
  });
  it('anchors regexes like PromQL', () => {
    expect(pick('policy_entropy{policy=~"liv"}')).toEqual([]);
    expect(pick('policy_entropy{policy=~"live|canary"}')).toEqual([0.93, 0.91, 0.7]);
  });
  it('treats a missing label as empty', () => {
    expect(pick('policy_entropy{region=""}')).toEqual([0.7]);
    expect(pick('policy_entropy{region!=""}')).toEqual([0.93, 0.5, 0.91]);
  });
  it('accepts label-only selectors, __name__, single quotes, spaces and trailing commas', () => {
    expect(pick('{__name__="other"}')).toEqual([9]);
    expect(pick("policy_entropy{ policy = 'shadow' , }")).toEqual([0.5]);
    expect(pick('{policy="live"}')).toEqual([0.93, 0.91, 9]);
  });
  it('unescapes quoted values and keeps regex escapes', () => {
    const s = parseSelector('m{a="x\\"y",b=~"1\\.5"}');
    expect(s.matchers[0]!.value).toBe('x"y');
    expect(s.matchers[1]!.re!.test('1.5')).toBe(true);
    expect(s.matchers[1]!.re!.test('105')).toBe(false);
    expect(s.name).toBe('m');
    expect(s.text).toBe('m{a="x\\"y",b=~"1\\.5"}');
  });
  const bad: [string, RegExp][] = [
    ['', /empty/],
    ['policy_entropy{policy="live"', /missing "}"|expected "," or "}"/],
    ['policy_entropy{policy=live}', /expected a quoted value for policy/],
    ['policy_entropy{policy~"x"}', /expected =, !=, =~ or !~ after policy/],
    ['policy_entropy{policy="x}', /unterminated value for policy/],
    ['policy_entropy{a=~"("}', /bad regex for a/],
    ['policy_entropy garbage', /unexpected "g"/],
    ['policy_entropy{a="1"} x', /unexpected text after "}"/],
    ['{a=""}', /does not match empty labels/],
    ['{}', /needs a metric name or a label matcher/],
    ['{1a="x"}', /expected a label name/],
  ];
  for (const [text, re] of bad) {
    it(`rejects ${JSON.stringify(text)} clearly`, () => {
      expect(() => parseSelector(text)).toThrow(SelectorError);
      expect(() => parseSelector(text)).toThrow(re);
    });
  }
  it('formats label sets on one line', () => {
    expect(formatLabels({ b: '2', a: 'x\ny', __name__: 'm' })).toBe('{a="x\\ny", b="2"}');
  });
  it('SampleIndex selects exactly what a scan of the whole exposition selects', () => {
    const index = new SampleIndex(samples);
    const selectors = [
      'policy_entropy', 'other', 'missing', 'policy_entropy{policy="live"}', 'policy_entropy{region!~"eu-.*"}',
      '{__name__="other"}', '{policy="live"}', '{__name__=~"policy_.*",policy!="canary"}', 'other{policy="shadow"}',
    ];
    for (const text of selectors) {
      const sel = parseSelector(text);
      expect(index.select(sel), text).toEqual(selectSamples(samples, sel));
    }
    expect(index.select(parseSelector('{policy="live"}')).map((s) => s.value)).toEqual([0.93, 0.91, 9]);
  });
});
