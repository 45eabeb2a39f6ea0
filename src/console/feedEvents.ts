/** Feed messages → event-log lines (text already stripped of control sequences by the client). */
import type { FeedMessage } from '../feed/protocol.js';
import type { EventEntry } from '../store/store.js';

type Line = Omit<EventEntry, 'id' | 'at'>;

export function feedEventLine(m: FeedMessage, lastStatus: Map<string, string>): Line | undefined {
  switch (m.type) {
    case 'status': {
      const v = JSON.stringify(m.value) ?? 'null';
      // Retained statuses are re-sent on every reconnect: log only changes.
      if (lastStatus.get(m.key) === v) return undefined;
      lastStatus.set(m.key, v);
      return { kind: 'feed', level: 'info', text: `status ${m.key} = ${v}${m.detail ? ` (${m.detail})` : ''}` };
    }
    case 'alert':
      return {
        kind: 'alert',
        level: m.state === 'resolved' ? 'ok' : m.severity === 'page' ? 'error' : 'warn',
        text: `ALERT ${m.id} ${m.severity} ${m.state}${m.summary ? `: ${m.summary}` : ''}`,
      };
    case 'influence':
      return { kind: 'feed', level: 'warn', text: `influence → ${m.pct}%${m.actor ? ` by ${m.actor}` : ''}${m.reason ? `: ${m.reason}` : ''}` };
    case 'ack':
      return { kind: 'feed', level: 'ok', text: `ack ${m.role} by ${m.actor}${m.gate ? ` (${m.gate})` : ''}` };
    case 'decision':
      return { kind: 'decision', level: m.decision === 'GO' ? 'ok' : 'warn', text: `decision ${m.decision} by ${m.actor}` };
    case 'event':
      return { kind: 'feed', level: 'info', text: `${m.actor ? `${m.actor}: ` : ''}${m.text}` };
  }
}
