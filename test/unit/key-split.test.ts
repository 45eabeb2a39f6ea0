import { describe, expect, it } from 'vitest';
import { splitKeys } from '../../src/input/keySplit.js';

const inputs = (s: string) => splitKeys(s).map((k) => k.input);

describe('splitKeys: every read is split into keys', () => {
  it('plain keys that arrive together are one key each', () => {
    expect(splitKeys('KK')).toEqual([
      { input: 'K', key: { shift: true } },
      { input: 'K', key: { shift: true } },
    ]);
    expect(inputs('jjj')).toEqual(['j', 'j', 'j']);
    expect(inputs('jjjK')).toEqual(['j', 'j', 'j', 'K']);
  });

  it('Ctrl keys stay whole and carry ctrl with their letter, as Ink reports them', () => {
    expect(splitKeys('\x0b\x0b')).toEqual([
      { input: 'k', key: { ctrl: true } },
      { input: 'k', key: { ctrl: true } },
    ]);
    expect(splitKeys('a\x03')).toEqual([
      { input: 'a', key: {} },
      { input: 'c', key: { ctrl: true } },
    ]);
  });

  it('Enter, Backspace and Tab; a CRLF is one Enter', () => {
    expect(splitKeys('1\r')).toEqual([
      { input: '1', key: {} },
      { input: '', key: { return: true } },
    ]);
    expect(splitKeys('a\r\nb').map((k) => k.key)).toEqual([{}, { return: true }, {}]);
    expect(splitKeys('\x7f\b\t').map((k) => k.key)).toEqual([{ backspace: true }, { backspace: true }, { tab: true }]);
  });

  it('escape sequences are one key each, with the flag of the key that sends them', () => {
    expect(splitKeys('\x1b[A\x1b[B\x1bOC\x1b[D').map((k) => k.key)).toEqual([{ upArrow: true }, { downArrow: true }, { rightArrow: true }, { leftArrow: true }]);
    expect(splitKeys('\x1b[5~\x1b[6~\x1b[3~\x1b[H\x1b[4~').map((k) => k.key)).toEqual([
      { pageUp: true },
      { pageDown: true },
      { delete: true },
      { home: true },
      { end: true },
    ]);
    expect(splitKeys('j\x1b[1;5Aj')).toEqual([
      { input: 'j', key: {} },
      { input: '', key: { ctrl: true, upArrow: true } },
      { input: 'j', key: {} },
    ]);
  });

  it('ESC alone is Escape; ESC before another key is Escape, then that key', () => {
    expect(splitKeys('\x1b')).toEqual([{ input: '', key: { escape: true } }]);
    expect(splitKeys('\x1bK')).toEqual([
      { input: '', key: { escape: true } },
      { input: 'K', key: { shift: true } },
    ]);
    expect(splitKeys('\x1b\x1b').map((k) => k.key)).toEqual([{ escape: true }, { escape: true }]);
  });

  it('unknown and unfinished sequences mean nothing and never leak their bytes as text', () => {
    expect(splitKeys('\x1b[99x')).toEqual([{ input: '', key: {} }]);
    expect(splitKeys('\x1b[12')).toEqual([]);
    expect(inputs('\x1b[97;5uK')).toEqual(['', 'K']);
  });

  it('bracketed-paste brackets are dropped; the pasted keys are still keys', () => {
    expect(inputs('\x1b[200~Ky\x1b[201~')).toEqual(['K', 'y']);
  });

  it('multi-unit characters stay whole', () => {
    expect(inputs('é😀x')).toEqual(['é', '😀', 'x']);
  });
});
