/**
 * Untrusted text (feed frames, command output, exposition text, error bodies) must never
 * drive the terminal: strip every escape/control sequence before it reaches the screen.
 */
// CSI, OSC (BEL or ST terminated), DCS/SOS/PM/APC strings, 2-char ESC sequences, C1 CSI.
const SEQUENCES =
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[PX^_][^\u001b]*(?:\u001b\\)?|\u009b[0-?]*[ -/]*[@-~]|\u001b[@-Z\\-_]|\u001b./gs;
// Remaining C0 (except \t \n), DEL and C1 controls; then the invisible formatting marks that
// let remote text pass for something else: zero-width space/joiners and LRM/RLM (U+200B–200F),
// bidi embeddings and overrides (U+202A–202E), word joiner and invisible operators
// (U+2060–2064), bidi isolates (U+2066–2069), the Arabic letter mark (U+061C) and the BOM /
// zero-width no-break space (U+FEFF). A line that reads "decision GO by alice" must be exactly
// those characters, in that order, on screen.
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

export function stripControl(text: string, { keepNewlines = true } = {}): string {
  let s = String(text).replace(SEQUENCES, '').replace(CONTROLS, '');
  if (!keepNewlines) s = s.replace(/[\r\n\t]+/g, ' ');
  return s;
}

/** One display line: control-free, newlines folded, cut to `max` characters. */
export function oneLine(text: string, max = 500): string {
  const s = stripControl(text, { keepNewlines: false }).trim();
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}
