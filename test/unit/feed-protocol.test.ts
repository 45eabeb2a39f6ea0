/** The feed's frame parser: every refusal has its reason; nesting is refused before anything stringifies it. */
import { describe, expect, it } from 'vitest';
import { depthExceeds } from '../../src/feed/depth.js';
import { MAX_FRAME_BYTES, MAX_FRAME_DEPTH, parseFrame } from '../../src/feed/protocol.js';

const ts = '2026-01-01T00:00:00Z';
const frame = (o: Record<string, unknown>) => JSON.stringify({ type: 'status', seq: 1, ts, key: 'k', value: true, ...o });
/** A status whose value nests `levels` arrays (the frame object itself is one more level). */
const nested = (levels: number) => `{"type":"status","seq":1,"ts":"${ts}","key":"deep","value":${'['.repeat(levels)}${']'.repeat(levels)}}`;

describe('depthExceeds', () => {
  it('counts nested objects and arrays, the outermost being level 1; scalars and strings add nothing', () => {
    const v = JSON.parse('{"a":[{"b":[]}],"s":"[[[[[[{{{{"}');
    expect(depthExceeds(v, 4)).toBe(false);
    expect(depthExceeds(v, 3)).toBe(true);
    expect(depthExceeds([[], [[]], { x: 1 }], 3)).toBe(false);
    expect(depthExceeds([[], [[]], { x: 1 }], 2)).toBe(true);
    expect(depthExceeds('x', 0)).toBe(false);
    expect(depthExceeds(null, 0)).toBe(false);
  });

  it('walks 20000 levels without recursing', () => {
    let v: unknown = [];
    for (let i = 0; i < 20_000; i++) v = [v];
    expect(depthExceeds(v, 20_001)).toBe(false);
    expect(depthExceeds(v, 20_000)).toBe(true);
  });
});

describe('parseFrame', () => {
  it('accepts a frame nested exactly to the limit and refuses one level more as too_deep', () => {
    expect(parseFrame(nested(MAX_FRAME_DEPTH - 1)).ok).toBe(true);
    expect(parseFrame(nested(MAX_FRAME_DEPTH))).toEqual({ ok: false, reason: 'too_deep' });
  });

  it('refuses, as too_deep, a value under 64 KiB deep enough to make JSON.stringify throw', () => {
    const text = nested(20_000);
    expect(Buffer.byteLength(text)).toBeLessThan(MAX_FRAME_BYTES);
    // What the console did with it before: parse fine, then throw at the first stringify.
    expect(() => JSON.stringify(JSON.parse(text))).toThrow(RangeError);
    expect(parseFrame(text)).toEqual({ ok: false, reason: 'too_deep' });
    expect(parseFrame(Buffer.from(text))).toEqual({ ok: false, reason: 'too_deep' });
  });

  it('names every other refusal', () => {
    expect(parseFrame('x'.repeat(MAX_FRAME_BYTES + 1))).toEqual({ ok: false, reason: 'oversize' });
    expect(parseFrame('{not json')).toEqual({ ok: false, reason: 'not_json' });
    expect(parseFrame('[1,2]')).toEqual({ ok: false, reason: 'not_object' });
    expect(parseFrame('null')).toEqual({ ok: false, reason: 'not_object' });
    expect(parseFrame(frame({ type: 'bogus' }))).toEqual({ ok: false, reason: 'unknown_type' });
    for (const seq of [0, -1, 1.5, '7', null, undefined]) expect(parseFrame(frame({ seq }))).toEqual({ ok: false, reason: 'bad_seq' });
    // JSON cannot say Infinity; a literal too big for a double parses to it.
    expect(parseFrame(frame({ seq: 1 }).replace('"seq":1', '"seq":1e400'))).toEqual({ ok: false, reason: 'bad_seq' });
    expect(parseFrame(frame({ ts: 5 }))).toEqual({ ok: false, reason: 'invalid' });
    expect(parseFrame(frame({ key: undefined }))).toEqual({ ok: false, reason: 'invalid' });
  });

  it('leaves a huge but whole seq to the sequence tracker (a restart, not a parse error)', () => {
    const r = parseFrame(frame({ seq: 1e300 }));
    expect(r.ok && r.msg.seq).toBe(1e300);
  });
});
