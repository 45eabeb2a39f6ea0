/**
 * The bundle swaps these in for Ink's own rasteriser steps: they must give exactly what
 * @alcalzone/ansi-tokenize (the library Ink uses) gives, on every input they accept.
 */
import { ansiCodesToString, diffAnsiCodes, reduceAnsiCodesIncremental, styledCharsFromTokens, styledCharsToString, tokenize } from '@alcalzone/ansi-tokenize';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
// Not in ink's public exports; the bundle patches this very file (scripts/bundle.mjs).
import sanitizeAnsi from '../../node_modules/ink/build/sanitize-ansi.js';
// Likewise not exported: the library's own end codes, which the bundle hands to sgrStyledChars.
import { getEndCode } from '../../node_modules/@alcalzone/ansi-tokenize/build/ansiCodes.js';
import { BLANK_CELL, isNarrowSymbol, lazySegmenter, onlyTextAndSgr, plainStyledChars, plainWidth, rowToString, sgrStyledChars, sgrTokens, uniformCells, type StyledChar } from '../../src/render/inkFastPaths.js';

const library = (line: string) => styledCharsFromTokens(tokenize(line)) as unknown as StyledChar[];

// A small deterministic PRNG: failures reproduce.
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const narrow = [...Array(0x2800).keys()].filter(isNarrowSymbol);
const printable = [...Array(0x5f).keys()].map((i) => String.fromCharCode(0x20 + i));
const SGR = ['\x1b[31m', '\x1b[32m', '\x1b[39m', '\x1b[1m', '\x1b[2m', '\x1b[22m', '\x1b[7m', '\x1b[27m', '\x1b[4m', '\x1b[24m', '\x1b[0m', '\x1b[38;5;208m', '\x1b[1;31m'];

describe('ink fast paths', () => {
  it('every symbol taken as narrow is one cell of one column for the library too', () => {
    for (const c of narrow) {
      const ch = String.fromCharCode(c);
      expect(tokenize(ch), `U+${c.toString(16)}`).toEqual([{ type: 'char', value: ch, fullWidth: false }]);
    }
  });

  it('plain lines have the width string-width gives them; anything else is left to string-width', () => {
    for (const c of narrow) expect(stringWidth(String.fromCharCode(c)), `U+${c.toString(16)}`).toBe(1);
    const r = rng(3);
    const alphabet = [...printable, ...narrow.map((c) => String.fromCharCode(c))];
    for (let n = 0; n < 300; n++) {
      const line = Array.from({ length: Math.floor(r() * 130) }, () => alphabet[Math.floor(r() * alphabet.length)]).join('');
      expect(plainWidth(line)).toBe(stringWidth(line));
    }
    // Coloured the way chalk colours them, the width is that of the text alone.
    for (let n = 0; n < 300; n++) {
      let line = '';
      for (let k = Math.floor(r() * 8); k > 0; k--) {
        line += [...SGR, '\x1b[m'][Math.floor(r() * (SGR.length + 1))];
        line += Array.from({ length: Math.floor(r() * 20) }, () => alphabet[Math.floor(r() * alphabet.length)]).join('');
      }
      expect(plainWidth(line), JSON.stringify(line)).toBe(stringWidth(line));
    }
    for (const line of ['wide 日本', 'emoji ✅', 'e\u0301', '\u26a0\ufe0f', 'tab\there', '\x1b]8;;http://x\x07link', '\x1b[2Kline', '\x1b7saved']) {
      expect(plainWidth(line), JSON.stringify(line)).toBeUndefined();
    }
    expect(plainWidth('\x1b[31m● GO\x1b[39m', { countAnsiEscapeCodes: true })).toBeUndefined();
    // Ambiguous-width symbols (─ ●) are two columns when the caller asks for that: not ours to answer.
    expect(plainWidth('● GO', { ambiguousIsNarrow: false })).toBeUndefined();
  });

  it('plain lines give the library cells; anything else is left to the library', () => {
    const r = rng(1);
    const alphabet = [...printable, ...narrow.map((c) => String.fromCharCode(c))];
    for (let n = 0; n < 500; n++) {
      const line = Array.from({ length: Math.floor(r() * 130) }, () => alphabet[Math.floor(r() * alphabet.length)]).join('');
      expect(plainStyledChars(line)).toEqual(library(line));
    }
    for (const line of ['\x1b[31mred\x1b[39m', 'wide 日本', 'emoji ✅', 'e\u0301', 'flag \u{1F1E9}\u{1F1EA}', 'tab\there', '\u26a0\ufe0f', 'nul\u0000']) {
      expect(plainStyledChars(line), JSON.stringify(line)).toBeUndefined();
    }
    expect(BLANK_CELL).toEqual(library(' ')[0]);
  });

  it('coloured lines give the library cells; other escapes are left to the library', () => {
    const r = rng(4);
    const alphabet = [...printable, ...narrow.map((c) => String.fromCharCode(c))];
    const fast = (line: string) => sgrStyledChars(line, getEndCode, reduceAnsiCodesIncremental as never);
    for (let n = 0; n < 500; n++) {
      let line = '';
      for (let k = Math.floor(r() * 10); k > 0; k--) {
        if (r() < 0.6) line += [...SGR, '\x1b[m', '\x1b[38;2;1;2;3m'][Math.floor(r() * (SGR.length + 2))];
        line += Array.from({ length: Math.floor(r() * 12) }, () => alphabet[Math.floor(r() * alphabet.length)]).join('');
      }
      expect(fast(line), JSON.stringify(line)).toEqual(library(line));
    }
    for (const line of ['\x1b]8;;http://x\x07link\x1b]8;;\x07', '\x1b[31m日本\x1b[39m', '\x1b[2Jclear', '\x1b[31m\x1b']) {
      expect(fast(line), JSON.stringify(line)).toBeUndefined();
    }
  });

  it('rows of styled cells print exactly as the library prints them', () => {
    const r = rng(2);
    for (let n = 0; n < 500; n++) {
      let text = '';
      for (let k = Math.floor(r() * 12); k > 0; k--) {
        if (r() < 0.5) text += SGR[Math.floor(r() * SGR.length)];
        text += 'ab ●─x'.slice(0, 1 + Math.floor(r() * 6));
      }
      // Ink fills a row from several writes: mix cells from separate tokenizations and blanks.
      const row: StyledChar[] = [
        ...library(text), BLANK_CELL, ...(plainStyledChars('plain tail') ?? []), ...library(`\x1b[7m${text}`),
        ...(sgrStyledChars(`\x1b[32m● GO\x1b[39m ${text.replace(/\x1b\[[0-9;]*m/g, '')}`, getEndCode, reduceAnsiCodesIncremental as never) ?? []),
      ];
      expect(rowToString(row, diffAnsiCodes as never, ansiCodesToString as never)).toBe(styledCharsToString(row as never));
    }
    expect(rowToString([], diffAnsiCodes as never, ansiCodesToString as never)).toBe(styledCharsToString([]));
  });

  it('a lone SGR sequence gives the library tokens without a grapheme segmenter', () => {
    const r = rng(6);
    const params = ['0', '1', '2', '3', '4', '7', '9', '22', '23', '24', '27', '29', '31', '39', '42', '49', '90', '97', '107', '38;5;208', '48;5;17', '38;2;1;2;3', '48;2;255;0;0', '38', '38;5', '38;2;1', '5', ''];
    const seqs = ['\x1b[m', '\x1b[0m', '\x1b[;m', '\x1b[1;;31m'];
    for (let n = 0; n < 1000; n++) {
      seqs.push(`\x1b[${Array.from({ length: 1 + Math.floor(r() * 4) }, () => params[Math.floor(r() * params.length)]).join(';')}m`);
    }
    for (const seq of seqs) expect(sgrTokens(seq, getEndCode), JSON.stringify(seq)).toEqual(tokenize(seq));
  });

  it('a lazy segmenter segments as Intl.Segmenter does', () => {
    const lazy = lazySegmenter(undefined, { granularity: 'grapheme' });
    const real = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    for (const text of ['e\u0301 日本 ✅ \u{1F1E9}\u{1F1EA}', '', 'plain']) {
      expect([...lazy.segment(text)].map((s) => s.segment)).toEqual([...real.segment(text)].map((s) => s.segment));
    }
  });

  it('texts of printable characters and SGR sequences are what Ink\'s sanitizeAnsi leaves unchanged', () => {
    const r = rng(5);
    const pieces = [...SGR, '\x1b[m', 'GO ', '● ', 'é', '日本', '✅', '\u0301'];
    const hostile = ['\x1b[2J', '\x1b]8;;http://x\x07', '\x1b', '\x9b31m', '\x85', '\x1b[?25l', '\x1b[31', '\x1bc', '\x1b[1:2m', '\x1b[31 m'];
    let accepted = 0;
    for (let n = 0; n < 2000; n++) {
      let text = '';
      for (let k = Math.floor(r() * 8); k > 0; k--) text += r() < 0.1 ? hostile[Math.floor(r() * hostile.length)] : pieces[Math.floor(r() * pieces.length)];
      if (onlyTextAndSgr(text)) {
        accepted++;
        expect(sanitizeAnsi(text), JSON.stringify(text)).toBe(text);
      }
    }
    expect(accepted).toBeGreaterThan(500);
    for (const h of hostile) expect(onlyTextAndSgr(`ok ${h} ok`), JSON.stringify(h)).toBe(false);
  });

  it('the library cells remade in one shape are the same cells and print the same', () => {
    for (const line of ['wide 日本 \x1b[31mred\x1b[39m', 'emoji ✅ e\u0301', '\x1b]8;;http://x\x07link\x1b]8;;\x07', '', 'plain']) {
      const cells = library(line);
      const same = uniformCells(cells);
      expect(same, JSON.stringify(line)).toEqual(cells);
      expect(rowToString(same, diffAnsiCodes as never, ansiCodesToString as never)).toBe(styledCharsToString(cells as never));
    }
  });
});
