import { describe, expect, it } from 'vitest';
import { redact } from '../../src/util/redact.js';
import { oneLine, stripControl } from '../../src/util/sanitize.js';

describe('redact', () => {
  it('hides every occurrence of each secret, longest first', () => {
    expect(redact('Bearer abcd1234 and abcd1234-extra', ['abcd1234', 'abcd1234-extra'])).toBe('Bearer [redacted] and [redacted]');
  });
  it('leaves values too short to be credentials alone rather than shredding the text', () => {
    expect(redact('exporter up, proxy x', ['x', 'yz'])).toBe('exporter up, proxy x');
  });
});

describe('stripControl', () => {
  it.each([
    ['\u001b[2Jclear', 'clear'],
    ['\u001b]0;title\u0007text', 'text'],
    ['\u001b]8;;http://evil\u001b\\link\u001b]8;;\u001b\\', 'link'],
    ['a\u0000b\u0007c\u009b2Jd', 'abcd'],
    ['bidi \u202eevil', 'bidi evil'],
    ['\u001bPdcs\u001b\\ok', 'ok'],
  ])('strips %j', (input, out) => expect(stripControl(input)).toBe(out));
  it('folds newlines and cuts long lines for one-line display', () => {
    expect(oneLine('a\nb\r\nc')).toBe('a b c');
    expect(oneLine('x'.repeat(600), 10)).toBe('xxxxxxxxx…');
  });
});
