/**
 * Text from the outside world (gate titles, reasons, actors, feed text) as HTML text or an
 * attribute value: control sequences stripped, then & < > " ' escaped. Every string the
 * renderer did not write itself goes through here, so `<script>` stays text.
 */
import { stripControl } from '../util/sanitize.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(text: unknown): string {
  return stripControl(String(text ?? ''), { keepNewlines: false }).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** Cut to `max` characters (before escaping, so an entity is never split). */
export function short(text: unknown, max: number): string {
  const s = stripControl(String(text ?? ''), { keepNewlines: false }).trim();
  return esc(s.length > max ? s.slice(0, max - 1) + '…' : s);
}
