/** Actions in flight and failures: each step as it happens; a failure stays until dismissed (Esc). */
import { Box, Text } from 'ink';
import { useTheme, useWarroom } from '../hooks/context.js';
import type { ActionView } from '../src/store/store.js';
import { oneLine } from '../src/util/sanitize.js';
import { glyphs, tone } from './theme.js';

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
        const steps = [...new Set(a.steps.map((s) => s.step))].filter((s) => s !== 'failed').join(arrow);
        const level = a.state === 'failed' ? 'error' : a.state === 'done' ? 'ok' : 'warn';
        const tail = a.state === 'failed' ? `FAILED: ${oneLine(a.error ?? '', 200)} (Esc dismisses)` : a.state === 'done' ? a.step.toUpperCase() : `${a.step}…`;
        return (
          <Text key={a.id} wrap="truncate" bold {...tone(theme, level)}>
            {a.label}: {steps}
            {steps ? arrow : ''}
            {tail}
          </Text>
        );
      })}
    </Box>
  );
}

export function countActionLines(actions: readonly ActionView[], now: number): number {
  return Math.min(2, visibleActions(actions, now).length);
}
