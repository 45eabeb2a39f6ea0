import { describe, it, expect } from 'vitest';
import { canonicalJson, jsonSafe, sha256Tagged } from '../../src/audit/canonical.js';

describe('canonicalJson', () => {
  it('sorts keys recursively and has no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
  });
  it('is stable whatever the insertion order', () => {
    const a = { seq: 1, ts: 't', type: 'note', text: 'hi', nested: { q: true, p: null } };
    const b = { nested: { p: null, q: true }, text: 'hi', type: 'note', ts: 't', seq: 1 };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(JSON.parse(JSON.stringify(a, null, 2)))).toBe(canonicalJson(a));
  });
  it('drops undefined members, prints numbers as JS does, escapes strings', () => {
    expect(canonicalJson({ a: undefined, b: 1e21, c: 0.1, d: -0, e: 'q"\n\u001b' })).toBe('{"b":1e+21,"c":0.1,"d":0,"e":"q\\"\\n\\u001b"}');
    expect(canonicalJson([undefined, 1])).toBe('[null,1]');
  });
  it('throws on non-finite numbers, naming where', () => {
    expect(() => canonicalJson({ v: { x: NaN } })).toThrow(/non-finite number at \$\.v\.x/);
    expect(() => canonicalJson([Infinity])).toThrow(/non-finite/);
  });
  it('jsonSafe turns non-finite numbers into null so hashing never throws', () => {
    expect(canonicalJson(jsonSafe({ v: NaN, w: [-Infinity, 2], u: undefined }))).toBe('{"v":null,"w":[null,2]}');
  });
  it('sha256Tagged gives a tagged lowercase hex digest', () => {
    expect(sha256Tagged('abc')).toBe('sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
