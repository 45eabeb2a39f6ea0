/** Runbook params (SPEC §9.5): what each type accepts, the act-time re-check, and templating into body and argv. */
import { describe, expect, it } from 'vitest';
import { placeholdersIn, renderArgv, renderExpect, renderTemplate } from '../../src/config/template.js';
import type { RunbookParam } from '../../src/config/types.js';
import { parseParam, paramsRefusal, paramsText } from '../../src/flows/runbookParams.js';

const MODE: RunbookParam = { name: 'mode', kind: 'choice', choices: ['balanced', 'fast'] };
const PCT: RunbookParam = { name: 'p', kind: 'pct' };
const NOTE: RunbookParam = { name: 'note', kind: 'text', maxLength: 10 };

describe('parseParam', () => {
  it('pct: a whole number 0-100 only', () => {
    expect(parseParam(PCT, ' 40 ')).toEqual({ ok: true, value: 40 });
    expect(parseParam(PCT, '0')).toEqual({ ok: true, value: 0 });
    for (const bad of ['101', '-1', '4.5', 'ten', '', '1e2']) expect(parseParam(PCT, bad).ok, bad).toBe(false);
  });

  it('choice: exactly one of the listed values', () => {
    expect(parseParam(MODE, 'fast')).toEqual({ ok: true, value: 'fast' });
    expect(parseParam(MODE, 'Fast')).toMatchObject({ ok: false, error: 'mode must be one of balanced, fast' });
    expect(parseParam(MODE, 'balanced ')).toMatchObject({ ok: false });
  });

  it('text: one line, control sequences stripped, bounded, not empty', () => {
    expect(parseParam(NOTE, '  a\u001b[31mb\u0007\nc ')).toEqual({ ok: true, value: 'ab c' });
    expect(parseParam(NOTE, '0123456789')).toEqual({ ok: true, value: '0123456789' });
    expect(parseParam(NOTE, '0123456789x')).toMatchObject({ ok: false, error: 'note must be at most 10 characters' });
    expect(parseParam(NOTE, ' \u001b[0m ')).toMatchObject({ ok: false, error: 'note is required' });
  });
});

describe('paramsRefusal (checked again at the act)', () => {
  const params = [MODE, PCT];
  it('passes values in their checked form', () => {
    expect(paramsRefusal(params, { mode: 'fast', p: 40 })).toBeUndefined();
  });
  it('refuses missing, extra, mistyped or invalid values', () => {
    expect(paramsRefusal(params, { mode: 'fast' })).toBe('param p is missing');
    expect(paramsRefusal(params, { mode: 'fast', p: 40, x: 1 })).toBe('unknown param "x"');
    expect(paramsRefusal(params, { mode: 'fast', p: '40' })).toBe('param p has the wrong type');
    expect(paramsRefusal(params, { mode: 'turbo', p: 40 })).toBe('mode must be one of balanced, fast');
    expect(paramsRefusal(params, { mode: 'fast', p: 400 })).toMatch(/^p: pct must be a whole number 0-100/);
    expect(paramsRefusal([NOTE], { note: 'a\nb' })).toBe('param note is not in its checked form');
  });
  it('says the params in one line', () => {
    expect(paramsText({ mode: 'fast', p: 40 })).toBe('mode=fast, p=40');
  });
});

describe('templating runbook params', () => {
  const vars = { mode: 'balanced', p: 40, note: 'a; rm -rf / "$(x)"' };
  it('fills JSON string leaves; a pct param alone in a leaf is a JSON number; keys are never templated', () => {
    const body = { mode: '{{mode}}', p: '{{p}}', label: 'p={{p}}', note: '{{note}}', by: '{{actor}}', why: '{{reason}}', '{{mode}}': 1, nested: ['{{ mode }}'] };
    expect(renderTemplate(body, { actor: 'alice', reason: 'entropy low', vars })).toEqual({
      mode: 'balanced',
      p: 40,
      label: 'p=40',
      note: 'a; rm -rf / "$(x)"',
      by: 'alice',
      why: 'entropy low',
      '{{mode}}': 1,
      nested: ['balanced'],
    });
  });
  it('fills each argv element on its own: a hostile text param stays one literal argument', () => {
    expect(renderArgv(['make', 'mode', 'MODE={{mode}}', '{{note}}'], { actor: 'a', vars })).toEqual(['make', 'mode', 'MODE=balanced', 'a; rm -rf / "$(x)"']);
  });
  it('renders verify expectations with params', () => {
    expect(renderExpect('== {{p}}', { actor: 'a', vars }).text).toBe('== 40');
  });
  it('refuses a placeholder nobody fills, and lists placeholders for the config check', () => {
    expect(() => renderTemplate({ x: '{{level}}' }, { actor: 'a', vars })).toThrow(/unknown placeholder \{\{level\}\}/);
    expect(placeholdersIn({ a: '{{mode}}-{{ p }}', b: ['{{actor}}', 3], c: null }).sort()).toEqual(['actor', 'mode', 'p']);
  });
});
