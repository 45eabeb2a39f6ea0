import { describe, it, expect } from 'vitest';
import { renderArgv, renderExpect, renderTemplate } from '../../src/config/template.js';
import { backoffMs } from '../../src/actions/executor.js';
import { displayArgv, displayUrl, makeScrub, secretsFor } from '../../src/actions/scrub.js';
import { compare } from '../../src/config/threshold.js';

const params = { actor: 'alice', reason: 'entropy collapse; rollback', pct: 25 };

describe('renderTemplate', () => {
  it('substitutes string leaves deeply and leaves keys and non-strings alone', () => {
    const out = renderTemplate(
      { enabled: true, reason: '{{reason}}', by: 'by {{actor}}', n: 3, nested: [{ '{{actor}}': '{{ actor }}' }, null] },
      params,
    );
    expect(out).toEqual({
      enabled: true,
      reason: 'entropy collapse; rollback',
      by: 'by alice',
      n: 3,
      nested: [{ '{{actor}}': 'alice' }, null],
    });
  });

  it('turns a string that is exactly {{pct}} into a number, and embeds it in other strings', () => {
    expect(renderTemplate({ pct: '{{pct}}', label: 'to {{pct}}%' }, params)).toEqual({ pct: 25, label: 'to 25%' });
  });

  it('rejects unknown placeholders with a message naming them', () => {
    expect(() => renderTemplate({ a: '{{token}}' }, params)).toThrow(/unknown placeholder \{\{token\}\}/);
  });

  it('rejects {{pct}} when no pct was given, and renders a missing reason as empty', () => {
    expect(() => renderTemplate({ pct: '{{pct}}' }, { actor: 'bob' })).toThrow(/no percentage/);
    expect(() => renderArgv(['x', 'PCT={{pct}}'], { actor: 'bob' })).toThrow(/no percentage/);
    expect(renderTemplate({ r: '{{reason}}' }, { actor: 'bob' })).toEqual({ r: '' });
  });

  it('does not re-expand placeholders that arrive inside values', () => {
    expect(renderTemplate('{{reason}}', { actor: 'a', reason: '{{actor}}' })).toBe('{{actor}}');
  });
});

describe('renderArgv', () => {
  it('templates each element on its own, keeping spaces and shell characters literal', () => {
    const argv = renderArgv(['make', 'influence-set', 'PCT={{pct}}', '--why={{reason}}'], {
      actor: 'a',
      reason: 'x; rm -rf / && echo $(id)',
      pct: 10,
    });
    expect(argv).toEqual(['make', 'influence-set', 'PCT=10', '--why=x; rm -rf / && echo $(id)']);
  });
});

describe('renderExpect', () => {
  it('parses the expectation after substitution', () => {
    const th = renderExpect('== {{pct}}', params);
    expect(th.text).toBe('== 25');
    expect(compare(th, 25)).toEqual({ ok: true, holds: true });
    expect(compare(th, 10)).toEqual({ ok: true, holds: false });
  });
  it('fails on a bad expectation', () => {
    expect(() => renderExpect('about {{pct}}', params)).toThrow(/not a threshold/);
  });
});

describe('backoff and scrubbing', () => {
  it('backs off 250 ms, 500 ms, 1 s … capped at 4 s', () => {
    expect([1, 2, 3, 4, 5, 6, 9].map(backoffMs)).toEqual([250, 500, 1000, 2000, 4000, 4000, 4000]);
  });

  it('redacts header values, bearer tokens and secrets, and strips control sequences', () => {
    const secrets = secretsFor(
      { kind: 'http', method: 'POST', url: 'http://127.0.0.1/x', headers: { Authorization: 'Bearer tok-123456', 'X-N': '1' }, timeout: 1000, retries: 0 },
      ['hunter22'],
    );
    const scrub = makeScrub(secrets);
    const out = scrub('got Bearer tok-123456 and tok-123456 and hun\u001b[31mter22 code 1');
    expect(out).not.toContain('tok-123456');
    expect(out).not.toContain('hunter22');
    expect(out).not.toContain('\u001b');
    expect(out).toContain('code 1'); // a 1-char header value is not redacted everywhere
  });

  it('shows URLs without credentials and argv with visible boundaries', () => {
    expect(displayUrl('http://user:pw@127.0.0.1:1/a')).toBe('http://127.0.0.1:1/a');
    expect(displayArgv(['make', 'a b', 'PCT=1'])).toBe('make "a b" PCT=1');
  });
});
