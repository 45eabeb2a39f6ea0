import { describe, it, expect } from 'vitest';
import { interpolateString, interpolateTree } from '../../src/config/interpolate.js';

describe('interpolateString', () => {
  it('substitutes ${NAME} and records the values', () => {
    expect(interpolateString('Bearer ${T}', { T: 'abc' })).toEqual({ value: 'Bearer abc', secrets: ['abc'], errors: [] });
    expect(interpolateString('${A}:${B}', { A: '1', B: '2' })).toEqual({ value: '1:2', secrets: ['1', '2'], errors: [] });
    expect(interpolateString('${E}x', { E: '' }).value).toBe('x');
  });

  it('leaves $ alone except ${ ; $${ is a literal ${', () => {
    expect(interpolateString('cost $5 $HOME', {}).value).toBe('cost $5 $HOME');
    expect(interpolateString('$${A} and ${A}', { A: 'v' }).value).toBe('${A} and v');
    expect(interpolateString('rate(x[5m]) > 0', {}).value).toBe('rate(x[5m]) > 0');
  });

  it('missing variables, bad names and unclosed references are errors that never show a value', () => {
    const r = interpolateString('${SET} ${MISSING}', { SET: 'hunter2' });
    expect(r.errors).toEqual(['environment variable MISSING is not set']);
    expect(r.value).toBe('${SET} ${MISSING}');
    expect(r.errors.join()).not.toContain('hunter2');
    expect(interpolateString('${1BAD}', {}).errors[0]).toMatch(/not a variable reference/);
    expect(interpolateString('${OPEN', {}).errors[0]).toMatch(/unclosed/);
  });
});

describe('interpolateTree', () => {
  it('walks maps and lists, not keys, and reports paths', () => {
    const r = interpolateTree({ '${K}': ['a', '${V}', { x: '${NO}' }], n: 3 }, { K: 'key', V: 'val' });
    expect(r.value).toEqual({ '${K}': ['a', 'val', { x: '${NO}' }], n: 3 });
    expect(r.secrets).toEqual(['val']);
    expect(r.substituted).toEqual([['${K}', 1]]);
    expect(r.problems).toEqual([{ path: ['${K}', 2, 'x'], message: 'environment variable NO is not set' }]);
  });

  it('a cycle is a problem, shared (non-cyclic) aliases are fine', () => {
    const shared = { a: 1 };
    expect(interpolateTree({ x: shared, y: shared }, {}).problems).toEqual([]);
    const loop: unknown[] = [];
    loop.push(loop);
    expect(interpolateTree({ x: loop }, {}).problems[0]).toMatchObject({ path: ['x', 0], message: expect.stringMatching(/recursive/) });
  });
});
