import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/load.js';
import { makeRedactor, redactDeep, shortSecretWarning } from '../../src/util/redactor.js';

const yaml = `version: 1
deployment: { name: d }
sources:
  prom: { type: prometheus, url: "http://127.0.0.1:9/t/\${SHORT}/p?k=\${LONG}", headers: { X-Api-Key: "\${SHORT}" } }
gates:
  - { id: a, source: prom, query: up, go: "== 1" }
`;

function load() {
  const r = loadConfigText(yaml, { file: '/tmp/w.yaml', env: { SHORT: 'ab', LONG: 'long-secret' } });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.config;
}

describe('redactor', () => {
  it('records substituted strings with their masked form, and names short values', () => {
    const c = load();
    expect(c.shortSecretNames).toEqual(['SHORT']);
    expect(c.secretMasks).toContainEqual({ value: 'http://127.0.0.1:9/t/ab/p?k=long-secret', masked: 'http://127.0.0.1:9/t/[redacted]/p?k=[redacted]' });
    expect(c.secretMasks).toContainEqual({ value: 'ab', masked: '[redacted]' });
  });
  it('masks a short value where it was substituted (also the URL without its query), but not in unrelated text', () => {
    const r = makeRedactor(load());
    expect(r('GET http://127.0.0.1:9/t/ab/p/api/v1/query: connection refused')).toBe('GET http://127.0.0.1:9/t/[redacted]/p/api/v1/query: connection refused');
    expect(r('about a tab')).toBe('about a tab');
    expect(r('token long-secret leaked')).toBe('token [redacted] leaked');
    // A config value that is exactly a substituted string is masked however short.
    expect(r.value('ab')).toBe('[redacted]');
    expect(r('ab')).toBe('ab');
  });
  it('redactDeep changes strings and keys, keeps identity where nothing changed, skips named top keys', () => {
    const r = makeRedactor({ secrets: ['long-secret'] });
    const same = { a: ['x', { b: 'y' }] };
    expect(redactDeep(same, r)).toBe(same);
    const v = { a: ['x', { b: 'has long-secret' }], keep: 'long-secret', 'long-secret': 1 };
    const out = redactDeep(v, r, ['keep']);
    expect(out).toEqual({ a: ['x', { b: 'has [redacted]' }], keep: 'long-secret', '[redacted]': 1 });
    expect(out.a[0]).toBe('x');
  });
  it('an empty spec is inactive and the identity', () => {
    const r = makeRedactor({ secrets: [] });
    expect(r.active).toBe(false);
    expect(r('anything')).toBe('anything');
  });
  it('the startup warning names variables, never values', () => {
    expect(shortSecretWarning([])).toBeUndefined();
    expect(shortSecretWarning(['A', 'B'])).toMatch(/^environment values shorter than 4 characters \(A, B\)/);
  });
});
