/**
 * A console that stood down for the room's kill follows that kill's outcome (SPEC §10.1): the
 * sender announces each phase on the room (requested, sent, verified, failed, ...), and this
 * console shows them as a row of its actions panel and in the event log, naming the sender.
 * What arrives is the sender's word, shown as such; it carries no authority.
 */
import type { Clock } from '../core/clock.js';
import type { KillPhaseNote } from '../feed/protocol.js';
import type { Session } from '../session/session.js';
import { oneLine } from '../util/sanitize.js';

/** Phases announced before the follow begins (the winner is often faster than our claim's answer). */
const EARLY_LIMIT = 64;
const FINAL: Record<string, 'done' | 'failed'> = { verified: 'done', acknowledged: 'done', failed: 'failed', abandoned: 'failed' };

interface Heard {
  by: string;
  phase: string;
  error?: string;
  at: number;
}

export function killNoteOf(m: { type: string; kill?: unknown }): KillPhaseNote | undefined {
  if (m.type !== 'event' || !m.kill || typeof m.kill !== 'object') return undefined;
  const k = m.kill as Record<string, unknown>;
  if (typeof k.key !== 'string' || typeof k.phase !== 'string') return undefined;
  return { key: oneLine(k.key, 80), phase: oneLine(k.phase, 24), ...(typeof k.error === 'string' ? { error: oneLine(k.error, 200) } : {}) };
}

export class KillFollower {
  private readonly heard = new Map<string, Heard[]>();
  private readonly following = new Map<string, string>();
  private readonly off: () => void;

  constructor(
    private readonly session: Session,
    private readonly clock: Clock,
  ) {
    this.off = session.on('feed', ({ msg }) => {
      const note = killNoteOf(msg as { type: string; kill?: unknown });
      const actor = (msg as { actor?: unknown }).actor;
      if (!note || typeof actor !== 'string' || actor === session.opts.actor) return;
      this.hear(note, oneLine(actor, 64));
    });
  }

  dispose(): void {
    this.off();
  }

  /** Stood down for the kill under `key`, sent by `by`: show it, with what was heard of it so far. */
  follow(key: string, by: string, label: string): void {
    this.following.set(key, label);
    this.session.upsertAction(this.rowId(key), () => ({
      id: this.rowId(key),
      name: 'kill_switch',
      label: `${label} (sent by ${by})`,
      to: 0,
      state: 'running',
      step: 'claimed by the room',
      steps: [],
      startedAt: this.clock.now(),
      idempotencyKey: key,
    }));
    for (const h of this.heard.get(key) ?? []) this.show(key, h);
  }

  /** The kill under `key` was heard to fail (or be abandoned): a new press is a new kill. */
  failed(key: string): boolean {
    return (this.heard.get(key) ?? []).some((h) => FINAL[h.phase] === 'failed');
  }

  private hear(note: KillPhaseNote, by: string): void {
    const h: Heard = { by, phase: note.phase, ...(note.error ? { error: note.error } : {}), at: this.clock.now() };
    const list = this.heard.get(note.key) ?? [];
    list.push(h);
    this.heard.set(note.key, list.slice(-12));
    if (this.heard.size > EARLY_LIMIT) this.heard.delete(this.heard.keys().next().value as string);
    if (this.following.has(note.key)) this.show(note.key, h);
  }

  private show(key: string, h: Heard): void {
    const label = this.following.get(key)!;
    const final = FINAL[h.phase];
    this.session.upsertAction(this.rowId(key), (a) => ({
      ...a!,
      label: `${label} (sent by ${h.by})`,
      state: final ?? 'running',
      step: `${h.phase} (by ${h.by})`,
      steps: [...(a?.steps ?? []), { step: h.phase, at: h.at, ...(h.error ? { error: h.error } : {}) }].slice(-12),
      ...(final ? { endedAt: h.at } : {}),
      ...(h.error ? { error: h.error } : {}),
    }));
    if (final) {
      this.session.live.event({
        kind: 'action',
        level: final === 'done' ? 'ok' : 'error',
        text: `the room's kill-switch (sent by ${h.by}) ${h.phase}${h.error ? `: ${h.error}` : ''}`,
      });
    }
  }

  private rowId(key: string): string {
    return `room-kill-${key}`;
  }
}
