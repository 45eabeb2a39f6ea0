/** The room's people as the header names them (`room 3: alice* bob carol(ro)`), pure. */
import { oneLine } from '../util/sanitize.js';

export interface Person {
  actor: string;
  role?: string;
  readOnly: boolean;
  host: string;
  since: string;
}

/** Well-formed entries, one per actor, by name. */
export function peopleOf(entries: readonly unknown[]): Person[] {
  const by = new Map<string, Person>();
  for (const e of entries) {
    if (!e || typeof e !== 'object') continue;
    const p = e as Partial<Person>;
    if (typeof p.actor !== 'string' || p.actor === '') continue;
    const prev = by.get(p.actor);
    // Two consoles of one actor: a writer beats a read-only one.
    if (prev && !prev.readOnly) continue;
    by.set(p.actor, { actor: p.actor, ...(typeof p.role === 'string' ? { role: p.role } : {}), readOnly: p.readOnly === true, host: typeof p.host === 'string' ? p.host : '?', since: typeof p.since === 'string' ? p.since : '' });
  }
  return [...by.values()].sort((a, b) => a.actor.localeCompare(b.actor));
}

/** `room 3: alice* bob carol(ro)`; `*` marks the speaker. Names are stripped of control sequences. */
export function roomText(people: readonly Person[], speaker: string | undefined): string {
  const names = people.map((p) => `${oneLine(p.actor, 32)}${p.actor === speaker ? '*' : ''}${p.readOnly ? '(ro)' : ''}`);
  return `room ${people.length}: ${names.join(' ')}`;
}
