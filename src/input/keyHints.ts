/** What the screen says about the keys, read from the keymap: the footer at each width, the help, the small screen's line. */
import { KEYMAP, type Binding, type FooterHint } from './keymap.js';

type Shown = Binding & { footer: FooterHint };

const inFooter = KEYMAP.filter((b): b is Shown => b.footer !== undefined);
const actionFooter = inFooter.filter((b) => !b.footer.readOnlyOnly);
const fitsNarrow = (b: Shown) => !b.footer.wideOnly;

export const FOOTER_KEYS = actionFooter.map((b) => b.footer.wide).join('  ');
/** ≤ 79 columns: the whole key list must stay readable at 80x24. */
export const FOOTER_KEYS_NARROW = actionFooter.filter(fitsNarrow).map((b) => b.footer.narrow ?? b.footer.wide).join(' ');
export const FOOTER_KEYS_READONLY = 'READ-ONLY | ' + inFooter.filter((b) => !b.acts).map((b) => b.footer.wide).join('  ');

export function footerKeys(columns: number, readOnly: boolean): string {
  if (readOnly) return FOOTER_KEYS_READONLY;
  return columns > FOOTER_KEYS.length ? FOOTER_KEYS : FOOTER_KEYS_NARROW;
}

/** `[keys, what they do]`, one line per entry, in table order. */
export const KEY_HELP: readonly (readonly [string, string])[] = KEYMAP.map((b) => [b.label, b.description] as const);

/** Below 80x24: a read-only console has no kill key to offer. */
export function smallScreenKeys(readOnly: boolean): string {
  return inFooter
    .filter((b) => b.footer.small !== undefined && !(readOnly && b.acts))
    .map((b) => b.footer.small)
    .join(' · ');
}
