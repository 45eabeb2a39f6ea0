/** Actions in flight and failures: each step as it happens; a failure stays until dismissed (Esc). */
import { Box, Text } from 'ink';
import { useTheme, useWarroom } from '../hooks/context.js';
import type { ActionView } from '../src/store/store.js';
import { oneLine } from '../src/util/sanitize.js';
import { glyphs, plain, tone } from './theme.js';

export function visibleActions(actions: readonly ActionView[], now: number): ActionView[] {
  // Finished successes linger briefly so the room sees "verified"; failures stay until dismissed.
  return actions.filter((a) => !a.dismissed && (a.state !== 'done' || now - (a.endedAt ?? now) < 10_000));
}

export function ActionsPanel({ lines }: { lines: number }) {
  const theme = useTheme();
  const actions = useWarroom((s) => s.actions);
  const now = useWarroom((s) => s.now);
  if (lines <= 0) return null;
  const shown = visibleActions(actions, now).slice(0, lines);
  const arrow = ` ${glyphs(theme).arrow} `;
  return (
    <Box flexDirection="column">
      {shown.map((a) => {
        const level = a.state === 'failed' ? 'error' : a.state === 'done' ? 'ok' : 'warn';
        // A failure leads with what went wrong: the steps matter less than the error.
        const text =
          a.state === 'failed'
            ? `${a.label} FAILED ${a.step.replace(/^failed /, '')} (Esc dismisses): ${oneLine(a.error ?? '', 300)}`
            : `${a.label}: ${[...new Set(a.steps.map((s) => s.step))].join(arrow)}${arrow}${a.state === 'done' ? a.step.toUpperCase() : '…'}`;
        return (
          <Text key={a.id} wrap="truncate" bold {...tone(theme, level)}>
            {plain(theme, text)}
          </Text>
        );
      })}
    </Box>
  );
}

export function countActionLines(actions: readonly ActionView[], now: number): number {
  return Math.min(2, visibleActions(actions, now).length);
}
