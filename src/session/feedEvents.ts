/**
 * Feed messages → event-log lines (text already stripped of control sequences and invisible
 * marks by the client). Every line carries its origin, which the log always shows: `feed`
 * for what the server says (status, alert, event), `remote:ACTOR` for what another console
 * did. A feed event reading "decision GO by alice" is thus never mistaken for our own line.
 */
import type { FeedMessage } from '../feed/protocol.js';
import type { EventEntry } from '../store/store.js';
import { oneLine } from '../util/sanitize.js';

type Line = Omit<EventEntry, 'id' | 'at'>;

/** The log shows one line of at most this; cutting here keeps 64 KiB texts out of every frame drawn. */
const TEXT_MAX = 400;
const ACTOR_MAX = 32;

export const FEED_ORIGIN = 'feed';

export function remoteOrigin(actor: string): string {
  return `remote:${oneLine(actor, ACTOR_MAX).replace(/\s+/g, '_') || '?'}`;
}

function originOf(actor: string | undefined): string {
  return actor ? remoteOrigin(actor) : FEED_ORIGIN;
}

export function feedEventLine(m: FeedMessage, lastStatus: Map<string, string>): Line | undefined {
  const line = rawLine(m, lastStatus);
  return line ? { ...line, text: oneLine(line.text.slice(0, TEXT_MAX * 4), TEXT_MAX) } : undefined;
}

function rawLine(m: FeedMessage, lastStatus: Map<string, string>): Line | undefined {
  switch (m.type) {
    case 'status': {
      // The parser refused anything deeper than MAX_FRAME_DEPTH, so this cannot overflow the stack.
      const v = JSON.stringify(m.value) ?? 'null';
      // Retained statuses are re-sent on every reconnect: log only changes.
      if (lastStatus.get(m.key) === v) return undefined;
      lastStatus.set(m.key, v);
      return { kind: 'feed', origin: FEED_ORIGIN, level: 'info', text: `status ${m.key} = ${v}${m.detail ? ` (${m.detail})` : ''}` };
    }
    case 'alert':
      return {
        kind: 'alert',
        origin: FEED_ORIGIN,
        level: m.state === 'resolved' ? 'ok' : m.severity === 'page' ? 'error' : 'warn',
        text: `ALERT ${m.id} ${m.severity} ${m.state}${m.summary ? `: ${m.summary}` : ''}`,
      };
    case 'influence':
      return { kind: 'feed', origin: originOf(m.actor), level: 'warn', text: `influence → ${m.pct}%${m.actor ? ` by ${m.actor}` : ''}${m.reason ? `: ${m.reason}` : ''}` };
    case 'ack':
      return { kind: 'feed', origin: originOf(m.actor), level: 'ok', text: `ack ${m.role} by ${m.actor}${m.gate ? ` (${m.gate})` : ''}` };
    case 'decision':
      return { kind: 'decision', origin: originOf(m.actor), level: m.decision === 'GO' ? 'ok' : 'warn', text: `decision ${m.decision} by ${m.actor}` };
    case 'event':
      return { kind: 'feed', origin: originOf(m.actor), level: 'info', text: `${m.actor ? `${m.actor}: ` : ''}${m.text}` };
    case 'override':
      // A claim until the override desk has checked its signature; that verdict is its own line.
      return { kind: 'feed', origin: originOf(m.actor), level: 'info', text: `override ${m.action === 'request' ? 'request' : 'approval'} ${m.id.slice(0, 8)} by ${m.actor} (claim)` };
  }
}
