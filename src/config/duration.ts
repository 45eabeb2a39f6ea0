/** Durations of the contract: `500ms`, `30s`, `5m`, `2h`, `1h30m` (and combinations). */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;

export function parseDuration(text: string): number {
  const s = String(text).trim();
  if (s === '') throw new Error('empty duration');
  if (/^\d+$/.test(s) && s !== '0') throw new Error(`duration "${s}" needs a unit (ms, s, m, h)`);
  if (s === '0') return 0;
  let total = 0;
  PART.lastIndex = 0;
  let pos = 0;
  while (pos < s.length) {
    PART.lastIndex = pos;
    const m = PART.exec(s);
    if (!m) throw new Error(`"${s}" is not a duration (examples: 500ms, 30s, 5m, 2h, 1h30m)`);
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    pos = PART.lastIndex;
  }
  return Math.round(total);
}

/** `1h30m`, `45s`, `0s` — the inverse, for display. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const neg = ms < 0;
  let rest = Math.round(Math.abs(ms) / 1000);
  if (rest === 0) return ms !== 0 && Math.abs(ms) < 1000 ? `${Math.round(Math.abs(ms))}ms` : '0s';
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  const sec = rest - m * 60;
  const out = (h ? `${h}h` : '') + (m ? `${m}m` : '') + (sec && !h ? `${sec}s` : '');
  return (neg ? '-' : '') + (out || '0s');
}

/** `hh:mm:ss` (hours not capped at 24), for elapsed times and countdowns. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

/**
 * A point in time typed by a person: a duration from now (`4h`) or an absolute time
 * (`14:30` today UTC, or ISO 8601). Returns ms epoch.
 */
export function parseWhen(text: string, now: number): number {
  const s = text.trim();
  if (s === '') throw new Error('empty time');
  try {
    return now + parseDuration(s);
  } catch {
    /* not a duration */
  }
  const hm = /^(\d{1,2}):(\d{2})$/.exec(s);
  if (hm) {
    const d = new Date(now);
    const t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), Number(hm[1]), Number(hm[2]));
    if (Number(hm[1]) > 23 || Number(hm[2]) > 59) throw new Error(`"${s}" is not a time of day`);
    return t > now ? t : t + 86_400_000;
  }
  const abs = Date.parse(s);
  if (Number.isNaN(abs)) throw new Error(`"${s}" is neither a duration (4h) nor a time (14:30 UTC, ISO 8601)`);
  return abs;
}
