/** The tmux harness itself: exit status, environment isolation, timeouts that show the screen. */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startTmux } from '../helpers/tmux.js';

describe('tmux harness', () => {
  it('reports the exit status and gives the program a clean environment', async () => {
    process.env.WARROOM_ACTOR = 'leaked-from-parent';
    const t = startTmux({ command: ['sh', '-c', 'echo "actor=[${WARROOM_ACTOR:-none}] term=$TERM extra=$EXTRA"; exit 3'], cols: 60, rows: 10, env: { EXTRA: "it's set" } });
    try {
      expect(await t.exitCode(5_000)).toBe(3);
      const screen = t.capture();
      expect(screen).toContain("actor=[none] term=xterm-256color extra=it's set");
    } finally {
      delete process.env.WARROOM_ACTOR;
      t.stop();
    }
  });

  it('waitFor times out with the last screen in the message, and stop() removes the server', async () => {
    const t = startTmux({ command: ['sh', '-c', 'echo hello-from-pane; sleep 30'], cols: 40, rows: 5 });
    try {
      await t.waitFor(/hello-from-pane/, 5_000);
      await expect(t.waitFor(/never-shown/, 300, 'a word that never comes')).rejects.toThrow(/a word that never comes[\s\S]*hello-from-pane/);
    } finally {
      t.stop();
    }
    expect(() => t.capture()).toThrow();
  });
});
