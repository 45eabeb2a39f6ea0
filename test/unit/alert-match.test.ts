import { describe, expect, it } from 'vitest';
import { formatMatcher, matcherImplies, parseMatcher, silenceMatchers, silenceMatchesFilter, type Matcher } from '../../src/sources/alertMatch.js';

const m = (s: string) => parseMatcher(s);
const ms = (...s: string[]) => s.map(m);

describe('parseMatcher (Alertmanager filter syntax)', () => {
  it('reads the four operators, quoted and bare values, escapes', () => {
    expect(m('severity="page"')).toEqual({ name: 'severity', value: 'page', isRegex: false, isEqual: true });
    expect(m(' env != "prod" ')).toEqual({ name: 'env', value: 'prod', isRegex: false, isEqual: false });
    expect(m('service=~"check.*"')).toEqual({ name: 'service', value: 'check.*', isRegex: true, isEqual: true });
    expect(m('team!~"a|b"')).toEqual({ name: 'team', value: 'a|b', isRegex: true, isEqual: false });
    expect(m('severity=page')).toEqual({ name: 'severity', value: 'page', isRegex: false, isEqual: true });
    expect(m('msg="say \\"hi\\" \\\\ ok"').value).toBe('say "hi" \\ ok');
    expect(m('x=""').value).toBe('');
  });

  it('refuses what Alertmanager would refuse, in words', () => {
    expect(() => m('severity')).toThrow(/not a label matcher/);
    expect(() => m('9lives="x"')).toThrow(/not a valid label name/);
    expect(() => m('a="unterminated')).toThrow(/no closing quote/);
    expect(() => m('a="x\\q"')).toThrow(/unknown escape/);
    expect(() => m('a="x"y"')).toThrow(/unescaped "/);
    expect(() => m('a=~"("')).toThrow(/not a valid regular expression/);
  });

  it('formats back to Alertmanager text', () => {
    expect(formatMatcher(m('a!~"x|y"'))).toBe('a!~"x|y"');
  });
});

describe('matcherImplies', () => {
  it('same matcher implies itself; different names never imply', () => {
    expect(matcherImplies(m('a="1"'), m('a="1"'))).toBe(true);
    expect(matcherImplies(m('a=~"1|2"'), m('a=~"1|2"'))).toBe(true);
    expect(matcherImplies(m('a="1"'), m('b="1"'))).toBe(false);
  });
  it('an exact value implies the matchers that accept it, anchored like Alertmanager', () => {
    expect(matcherImplies(m('a="page"'), m('a=~"page|critical"'))).toBe(true);
    expect(matcherImplies(m('a="paged"'), m('a=~"page"'))).toBe(false); // anchored
    expect(matcherImplies(m('a="page"'), m('a!="info"'))).toBe(true);
    expect(matcherImplies(m('a="page"'), m('a!="page"'))).toBe(false);
    expect(matcherImplies(m('a="page"'), m('a!~"inf.*"'))).toBe(true);
    expect(matcherImplies(m('a="info"'), m('a!~"inf.*"'))).toBe(false);
    expect(matcherImplies(m('a="page"'), m('a="critical"'))).toBe(false);
  });
  it('a regex or a negation implies only itself (conservative)', () => {
    expect(matcherImplies(m('a=~"page"'), m('a="page"'))).toBe(false);
    expect(matcherImplies(m('a!="x"'), m('a!="y"'))).toBe(false);
    expect(matcherImplies(m('a=~"p.*"'), m('a=~"p.+|p"'))).toBe(false);
  });
});

describe('silenceMatchesFilter: one matcher set implies the other', () => {
  const filter = ms('severity="page"', 'service="checkout"');
  it('the same matchers match', () => {
    expect(silenceMatchesFilter(ms('service="checkout"', 'severity="page"'), filter)).toBe(true);
  });
  it('a broader silence (mutes every alert the gate watches) matches', () => {
    expect(silenceMatchesFilter(ms('severity="page"'), filter)).toBe(true);
    expect(silenceMatchesFilter(ms('service=~"check.*"'), filter)).toBe(true);
    expect(silenceMatchesFilter(ms('severity!="info"'), filter)).toBe(true);
  });
  it('a narrower silence (mutes only alerts the gate watches) matches', () => {
    expect(silenceMatchesFilter(ms('severity="page"', 'service="checkout"', 'alertname="HighLatency"'), filter)).toBe(true);
  });
  it('a disjoint or merely overlapping silence does not', () => {
    expect(silenceMatchesFilter(ms('service="search"'), filter)).toBe(false);
    expect(silenceMatchesFilter(ms('severity="page"', 'service="search"'), filter)).toBe(false);
    expect(silenceMatchesFilter(ms('alertname="DiskFull"'), filter)).toBe(false);
    expect(silenceMatchesFilter(ms('service!="checkout"'), filter)).toBe(false);
    expect(silenceMatchesFilter(ms('severity="page"', 'alertname="X"'), filter)).toBe(false);
  });
  it('a gate without filter watches every alert: any silence matches', () => {
    expect(silenceMatchesFilter(ms('alertname="Anything"'), [])).toBe(true);
  });
});

describe('silenceMatchers (API shape)', () => {
  it('reads matchers; isEqual defaults to true for servers older than 0.22', () => {
    expect(silenceMatchers([{ name: 'a', value: 'b', isRegex: false }])).toEqual<Matcher[]>([{ name: 'a', value: 'b', isRegex: false, isEqual: true }]);
    expect(silenceMatchers([{ name: 'a', value: 'b', isRegex: true, isEqual: false }])![0]).toMatchObject({ isRegex: true, isEqual: false });
  });
  it('refuses anything else', () => {
    expect(silenceMatchers({})).toBeUndefined();
    expect(silenceMatchers([{ name: 'a', value: 1, isRegex: false }])).toBeUndefined();
    expect(silenceMatchers([null])).toBeUndefined();
  });
});
