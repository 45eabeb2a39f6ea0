/** One HTTP request a sink sends: a JSON POST. */
export interface NotifyRequest {
  url: string;
  body: unknown;
  headers: Record<string, string>;
}

/** Text cut to `max` characters (a receiver rejects the whole message when one field is too long). */
export function cut(text: string, max: number): string {
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}
