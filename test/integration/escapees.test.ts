import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { escapeeText, findEscapees, parseStat, RUN_ID_ENV } from '../../src/sources/escapees.js';

describe('parseStat', () => {
  it('reads state, pgid and session after the last parenthesis (names may hold spaces and parens)', () => {
    expect(parseStat('4242 (my (odd) cmd) S 1 4240 4239 0 -1 4194560')).toEqual({ state: 'S', pgid: 4240, sid: 4239 });
    expect(parseStat('garbage')).toBeUndefined();
  });
  it('names the way out in the gate text', () => {
    expect(escapeeText({ pid: 7, ownSession: true })).toBe('a process escaped the process group (setsid): pid 7 killed');
  });
});

describe.runIf(existsSync('/proc'))('findEscapees (Linux /proc)', () => {
  it('finds a marked process outside the group, and not one inside it', async () => {
    const id = randomUUID();
    const env = { ...process.env, [RUN_ID_ENV]: id };
    // Its own group (detached), so relative to the group `inside` it has escaped.
    const outside = spawn('sleep', ['3301'], { env, detached: true, stdio: 'ignore' });
    const inside = spawn('sleep', ['3302'], { env, detached: true, stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 200));
      const found = await findEscapees(id, inside.pid!);
      expect(found.map((e) => e.pid)).toEqual([outside.pid]);
      expect(found[0]!.ownSession).toBe(true);
      expect(await findEscapees(randomUUID(), inside.pid!)).toEqual([]);
    } finally {
      outside.kill('SIGKILL');
      inside.kill('SIGKILL');
    }
  });
  it('finds nothing without /proc', async () => {
    expect(await findEscapees('x', 1, '/nonexistent-proc')).toEqual([]);
  });
});
