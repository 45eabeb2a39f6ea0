/**
 * Values that came from the environment are never printed, logged, recorded or shown.
 * Values shorter than MIN_SECRET_LENGTH are left alone: replacing every `x` in a report
 * destroys it and hides nothing a real credential needs hidden.
 */
export const MIN_SECRET_LENGTH = 4;

export function redact(text: string, secrets: readonly string[], minLength = MIN_SECRET_LENGTH): string {
  let out = String(text);
  // Longest first, so a secret containing another is replaced whole.
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) {
    if (s.length >= Math.max(1, minLength)) out = out.split(s).join('[redacted]');
  }
  return out;
}
