import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ExpositionError, parseExposition, parseFloatToken, type ExpoSample } from '../../src/sources/exposition.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/exposition/${name}`, import.meta.url), 'utf8');
const find = (samples: ExpoSample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

describe('parseExposition: fixtures', () => {
  it('handles escapes, trailing commas, spacing and timestamps', () => {
    const { samples, types } = parseExposition(fixture('escapes.txt'));
    expect(types).toEqual({ http_requests_total: 'counter' });
    expect(samples).toHaveLength(9);
    expect(samples[0]).toEqual({ name: 'http_requests_total', labels: { method: 'post', code: '200' }, value: 1027, timestampMs: 1395066363000 });
    expect(samples[1]!.value).toBe(3);
    const ms = find(samples, 'msdos_file_access_time_seconds')[0]!;
    expect(ms.labels).toEqual({ path: 'C:\\DIR\\FILE.TXT', error: 'Cannot find file:\n"FILE.TXT"' });
    expect(ms.value).toBe(1.458255915e9);
    expect(ms.timestampMs).toBeUndefined();
    expect(find(samples, 'quoted')[0]!.labels).toEqual({ q: 'say "hi"' });
    expect(find(samples, 'trailing_comma')[0]!.labels).toEqual({ a: '1', b: '2' });
    expect(find(samples, 'empty_labels')[0]).toEqual({ name: 'empty_labels', labels: {}, value: 3 });
    expect(find(samples, 'spaced')[0]).toEqual({ name: 'spaced', labels: { a: 'x', b: 'y' }, value: 4 });
    expect(find(samples, 'tabbed')[0]).toEqual({ name: 'tabbed', labels: {}, value: 5, timestampMs: -12 });
    expect(find(samples, 'metric_without_timestamp_and_labels')[0]!.value).toBe(12.47);
  });

  it('parses NaN, ±Inf and exponent forms', () => {
    const { samples } = parseExposition(fixture('special.txt'));
    const v = (kind: string) => find(samples, 'specials', { kind })[0]!.value;
    expect(v('nan')).toBeNaN();
    expect(v('pinf')).toBe(Infinity);
    expect(v('ninf')).toBe(-Infinity);
    expect(v('inf')).toBe(Infinity);
    expect(v('exp')).toBe(-0.0015);
    expect(v('exp2')).toBe(600);
    expect(v('dot')).toBe(0.5);
    const weird = find(samples, 'something_weird')[0]!;
    expect(weird.value).toBe(Infinity);
    expect(weird.timestampMs).toBe(-3982045);
  });

  it('keeps labelled histogram and summary series apart', () => {
    const { samples, types } = parseExposition(fixture('histogram.txt'));
    expect(types).toEqual({ lat: 'histogram', rpc_duration_seconds: 'summary' });
    expect(find(samples, 'lat_bucket')).toHaveLength(6);
    expect(find(samples, 'lat_bucket', { route: '/a', le: '+Inf' })[0]!.value).toBe(144320);
    expect(find(samples, 'lat_bucket', { route: '/b', le: '0.1' })[0]!.value).toBe(2);
    expect(find(samples, 'lat_sum', { route: '/b' })[0]!.value).toBe(0.2);
    expect(find(samples, 'lat_count', { route: '/a' })[0]!.value).toBe(144320);
    expect(find(samples, 'rpc_duration_seconds', { service: 'x', quantile: '0.99' })[0]!.value).toBe(76656);
    expect(find(samples, 'rpc_duration_seconds', { service: 'y', quantile: '0.5' })[0]!.value).toBeNaN();
    expect(find(samples, 'rpc_duration_seconds_count')).toHaveLength(2);
  });

  it("parses Prometheus' own /metrics output (saved from the Debian 2.42 binary)", () => {
    const text = fixture('prometheus-self.txt');
    const { samples, types } = parseExposition(text);
    const dataLines = text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).length;
    expect(samples).toHaveLength(dataLines);
    expect(types['go_gc_duration_seconds']).toBe('summary');
    expect(types['prometheus_http_request_duration_seconds']).toBe('histogram');
    expect(find(samples, 'go_gc_duration_seconds', { quantile: '0.5' })).toHaveLength(1);
    expect(samples.some((s) => Number.isNaN(s.value))).toBe(true);
    expect(find(samples, 'prometheus_http_request_duration_seconds_bucket', { handler: '/metrics', le: '+Inf' })).toHaveLength(1);
  });

  it('accepts CRLF line ends, blank lines and no final newline', () => {
    const { samples } = parseExposition('a 1\r\n\r\n  \nb{x="y"} 2');
    expect(samples.map((s) => [s.name, s.value])).toEqual([['a', 1], ['b', 2]]);
    // Like Prometheus' own parser, no blank is needed between "}" and the value.
    expect(parseExposition('m{a="x"}7').samples[0]!.value).toBe(7);
  });

  it('parses float tokens like Go', () => {
    expect(parseFloatToken('1e3')).toBe(1000);
    expect(parseFloatToken('+Inf')).toBe(Infinity);
    expect(parseFloatToken('-inf')).toBe(-Infinity);
    expect(parseFloatToken('nan')).toBeNaN();
    expect(parseFloatToken('1e')).toBeUndefined();
    expect(parseFloatToken('0x10')).toBeUndefined();
    expect(parseFloatToken('')).toBeUndefined();
  });
});

describe('parseExposition: malformed input gives ExpositionError with the line', () => {
  const cases: [string, string, number, RegExp][] = [
    ['invalid metric name', 'ok 1\n9bad 1', 2, /expected a metric name/],
    ['invalid label name', 'm{1a="x"} 1', 1, /invalid label name/],
    ['broken escape', 'ok 1\nok 2\nm{a="x\\q"} 1', 3, /invalid escape sequence "\\q"/],
    ['unterminated quote', 'm{a="x} 1', 1, /unterminated label value/],
    ['unterminated label set', 'm{a="x" 1', 1, /expected "," or "}"/],
    ['missing value', 'm{a="x"}', 1, /missing value for m/],
    ['missing value after name', 'metric   ', 1, /missing value for metric/],
    ['garbage value', 'm 12abc', 1, /invalid value "12abc"/],
    ['garbage timestamp', 'm 1 1.5', 1, /invalid timestamp "1.5"/],
    ['text after timestamp', 'm 1 2 3', 1, /unexpected text after timestamp/],
    ['duplicate label', 'm{a="1",a="2"} 1', 1, /duplicate label a/],
    ['bad TYPE', '# TYPE m countr', 1, /invalid TYPE "countr"/],
    ['second TYPE', '# TYPE m gauge\n# TYPE m gauge', 2, /second TYPE line/],
    ['bad name in HELP', '# HELP 0x nope', 1, /invalid metric name/],
    ['missing =', 'm{a"x"} 1', 1, /expected "=" after label a/],
    ['unquoted label value', 'm{a=x} 1', 1, /expected a quoted value/],
    ['backslash at end', 'm{a="x\\', 1, /unterminated label value/],
    ['junk after name', 'm-1 2', 1, /unexpected "-1 2" after metric name m/],
  ];
  for (const [what, text, line, re] of cases) {
    it(what, () => {
      let caught: unknown;
      try {
        parseExposition(text);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(ExpositionError);
      expect((caught as ExpositionError).line).toBe(line);
      expect((caught as ExpositionError).message).toMatch(re);
      expect((caught as ExpositionError).message).toMatch(new RegExp(`^line ${line}: `));
    });
  }
});
