/** Values that came from the environment are never printed, logged, recorded or shown. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = String(text);
  for (const s of secrets) {
    if (s.length >= 1) out = out.split(s).join('[redacted]');
  }
  return out;
}
