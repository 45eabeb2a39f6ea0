/** The keymap table is the one source of the footer, the help and the key lookup. */
import { describe, expect, it } from 'vitest';
import { bindingFor, chordsOf, KEYMAP, type Binding } from '../../src/input/keymap.js';
import { FOOTER_KEYS, FOOTER_KEYS_NARROW, FOOTER_KEYS_READONLY, footerKeys, KEY_HELP, smallScreenKeys } from '../../src/input/keyHints.js';
import { splitKeys } from '../../src/input/keySplit.js';
import { chordBytes } from '../helpers/keys.js';

const withFooter = KEYMAP.filter((b): b is Binding & { footer: NonNullable<Binding['footer']> } => b.footer !== undefined);

describe('the keymap table', () => {
  it('binds every chord to one entry per layer, so no entry shadows another', () => {
    // `anywhere` is looked up before `main`, so together they are one layer; prompts are another.
    for (const layer of [['anywhere', 'main'], ['prompt']]) {
      const seen = new Map<string, string>();
      for (const b of KEYMAP.filter((e) => layer.includes(e.when))) {
        for (const chord of Object.keys(b.keys)) {
          expect(seen.get(chord), `${chord} is bound by "${seen.get(chord)}" and "${b.label}"`).toBeUndefined();
          seen.set(chord, b.label);
        }
      }
    }
  });

  it('names only keys a terminal sends: each chord, typed, is looked up as itself', () => {
    for (const b of KEYMAP) {
      for (const chord of Object.keys(b.keys)) {
        const keys = splitKeys(chordBytes(chord));
        expect(keys, chord).toHaveLength(1);
        expect(chordsOf(keys[0]!.input, keys[0]!.key)[0], chord).toBe(chord);
      }
    }
  });

  it('looks a key up in the layers asked for', () => {
    const [ctrlK] = splitKeys('\u000b');
    expect(bindingFor(ctrlK!.input, ctrlK!.key, ['anywhere'])?.action).toBe('kill');
    expect(bindingFor('n', {}, ['main'])?.action).toBe('advance');
    expect(bindingFor('n', {}, ['prompt'])?.action).toBe('cancelPrompt');
    expect(bindingFor('i', {}, ['anywhere'])).toBeUndefined();
    expect(bindingFor('x', {}, ['anywhere'])).toBeUndefined();
    expect(bindingFor('x', {}, ['main'])?.action).toBe('remedy');
    expect(bindingFor(':', {}, ['main'])?.action).toBe('palette');
    expect(bindingFor('z', {}, ['anywhere', 'main'])).toBeUndefined();
  });

  it('treats an unbound Ctrl+letter as the letter, and Ctrl+C as its own key', () => {
    expect(bindingFor('n', { ctrl: true }, ['main'])?.action).toBe('advance');
    expect(bindingFor('c', { ctrl: true }, ['main'])?.action).toBe('quit');
    expect(bindingFor('c', {}, ['main'])).toBeUndefined();
  });
});

describe('the footer, read from the table', () => {
  it('keeps the strings the room knows', () => {
    expect(FOOTER_KEYS).toBe('K kill  i set%  n next  d decide  s sign  w waive  a ack  : cmds  x remedy  r refresh  / filter  ? help  q quit');
    expect(FOOTER_KEYS_NARROW).toBe('K kill i set% n next d decide s sign w waive a ack r refresh /find ?help q quit');
    // The palette lists what a read-only console may not run, so it is offered there too.
    expect(FOOTER_KEYS_READONLY).toBe('READ-ONLY | : cmds  j/k move  Enter detail  r refresh  / filter  ? help  q quit');
    expect(FOOTER_KEYS_READONLY.length).toBeLessThanOrEqual(79);
    expect(smallScreenKeys(false)).toBe('K kill-switch · q quit');
    expect(smallScreenKeys(true)).toBe('q quit');
  });

  it('names every footer entry at each width, and no acting key when read-only', () => {
    for (const b of withFooter) {
      if (b.footer.readOnlyOnly) {
        expect(FOOTER_KEYS).not.toContain(b.footer.wide);
      } else {
        expect(FOOTER_KEYS).toContain(b.footer.wide);
        if (b.footer.wideOnly) expect(FOOTER_KEYS_NARROW).not.toContain(b.footer.wide);
        else expect(FOOTER_KEYS_NARROW).toContain(b.footer.narrow ?? b.footer.wide);
      }
      if (b.acts) expect(FOOTER_KEYS_READONLY).not.toContain(b.footer.wide);
      else expect(FOOTER_KEYS_READONLY).toContain(b.footer.wide);
    }
  });

  it('fits the narrow footer in 79 columns and picks the width that fits', () => {
    expect(FOOTER_KEYS_NARROW.length).toBeLessThanOrEqual(79);
    expect(footerKeys(FOOTER_KEYS.length + 1, false)).toBe(FOOTER_KEYS);
    expect(footerKeys(FOOTER_KEYS.length, false)).toBe(FOOTER_KEYS_NARROW);
    expect(footerKeys(200, true)).toBe(FOOTER_KEYS_READONLY);
  });
});

describe('the ? help, read from the table', () => {
  it('lists every entry once, in table order, with a label that fits its column', () => {
    expect(KEY_HELP).toEqual(KEYMAP.map((b) => [b.label, b.description]));
    expect(new Set(KEY_HELP.map(([k]) => k)).size).toBe(KEY_HELP.length);
    // HelpOverlay pads the key column to 13: a longer label would run into its text.
    for (const [k] of KEY_HELP) expect(k.length, k).toBeLessThan(13);
  });
});
