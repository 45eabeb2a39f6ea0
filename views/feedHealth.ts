/** The feed's counts beside its health in the header: alerts firing, drops by reason, gaps, restarts. */
import type { FeedView } from '../src/store/store.js';

/** "2 not_json, 1 oversize": most frequent first, so the cause shows before truncation. */
export function dropReasons(byReason: Record<string, number>): string {
  return Object.entries(byReason)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([r, n]) => `${n} ${r}`)
    .join(', ');
}

/** '' when there is nothing to say; else e.g. "12 firing (12 page, +2 more) · dropped 3 (2 not_json, 1 oversize) · 4 missed". */
export function feedHealthText(f: FeedView): string {
  const parts: string[] = [];
  if (f.firing > 0) {
    const more = f.firingMore > 0 ? `, +${f.firingMore} more` : '';
    parts.push(`${f.firing} firing (${f.firingPage} page${more})`);
  }
  if (f.dropped > 0) parts.push(`dropped ${f.dropped} (${dropReasons(f.droppedByReason)})`);
  if (f.missed > 0) parts.push(`${f.missed} missed`);
  if (f.restarts > 0) parts.push(`${f.restarts} restart${f.restarts === 1 ? '' : 's'}`);
  return parts.join(' · ');
}
