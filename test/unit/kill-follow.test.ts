/** A console that stood down follows the room's kill from the sender's announcements (pure logic over a real Session). */
import { describe, expect, it } from 'vitest';
import { KillFollower, killNoteOf } from '../../src/acts/killFollow.js';
import { FakeClock } from '../../src/core/clock.js';
import { Session } from '../../src/session/session.js';
import { testConfig } from '../helpers/config.js';

const frame = (actor: string, key: string, phase: string, error?: string) =>
  ({ type: 'event', seq: 1, ts: '2026-11-23T14:00:00Z', text: `KILL-SWITCH ${phase}`, actor, kill: { key, phase, ...(error ? { error } : {}) } }) as never;

function rig() {
  const clock = new FakeClock();
  const session = new Session({ config: testConfig(), actor: 'alice', clock });
  const f = new KillFollower(session, clock);
  const row = (key: string) => session.store.getState().actions.find((a) => a.id === `room-kill-${key}`);
  const log = () => {
    session.live.flush();
    return session.store.getState().events.map((e) => e.text);
  };
  return { session, f, row, log };
}

describe('KillFollower', () => {
  it('phases heard before the follow begins are shown; the outcome ends the row and is logged', () => {
    const { session, f, row, log } = rig();
    session.receive('room', frame('bob', 'k1', 'requested'));
    expect(row('k1')).toBeUndefined();
    f.follow('k1', 'bob', 'KILL-SWITCH');
    expect(row('k1')).toMatchObject({ state: 'running', step: 'requested (by bob)', label: 'KILL-SWITCH (sent by bob)' });
    session.receive('room', frame('bob', 'k1', 'verified'));
    expect(row('k1')).toMatchObject({ state: 'done', step: 'verified (by bob)' });
    expect(log()).toContain("the room's kill-switch (sent by bob) verified");
    expect(f.failed('k1')).toBe(false);
  });

  it('a failure is shown with its error, and lets a new press send; other keys and our own frames are ignored', () => {
    const { session, f, row, log } = rig();
    f.follow('k2', 'bob', 'KILL-SWITCH');
    session.receive('room', frame('bob', 'other', 'verified'));
    session.receive('room', frame('alice', 'k2', 'verified'));
    expect(row('k2')).toMatchObject({ state: 'running' });
    session.receive('room', frame('bob', 'k2', 'failed', 'HTTP 503\u001b[2J'));
    expect(row('k2')).toMatchObject({ state: 'failed', error: 'HTTP 503' });
    expect(log().some((t) => t.startsWith("the room's kill-switch (sent by bob) failed: HTTP 503"))).toBe(true);
    expect(f.failed('k2')).toBe(true);
  });

  it('reads only well-formed kill notes', () => {
    expect(killNoteOf({ type: 'event', kill: { key: 'k', phase: 'sent' } })).toEqual({ key: 'k', phase: 'sent' });
    expect(killNoteOf({ type: 'event', kill: { key: 1, phase: 'sent' } })).toBeUndefined();
    expect(killNoteOf({ type: 'ack', kill: { key: 'k', phase: 'sent' } })).toBeUndefined();
  });
});
