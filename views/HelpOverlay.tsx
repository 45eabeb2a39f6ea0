/** Every key (SPEC §4), shown by `?`. */
import { Box, Text } from 'ink';

export const KEY_HELP: [string, string][] = [
  ['K, Ctrl+K', 'kill-switch: influence to 0% (confirm y/Enter; Ctrl+K works while typing)'],
  ['i', 'set influence: type pct, Enter; reason if above max_step or not GO; confirm y'],
  ['n', 'advance to the next ramp stage (as i, pct proposed)'],
  ['d', 'record a decision: g GO / n NO-GO / h HOLD, justification, next review, y'],
  ['s', 'sign off the selected manual gate (or the decision) as your role'],
  ['w', 'waive the selected gate: reason, expiry (2h or a time), y'],
  ['a', 'acknowledge the due checkpoint, or cancel an armed auto-rollback'],
  ['r', 'refresh all sources now'],
  ['j/k, arrows', 'move the selection'],
  ['Enter', 'open/close the selected gate detail'],
  ['/', 'filter gates (Enter keeps, Esc clears)'],
  ['?', 'this help (any key closes)'],
  ['q', 'quit (asks when an action is in flight)'],
  ['Esc, n', 'cancel any prompt: nothing is sent'],
];

export function HelpOverlay({ height }: { height: number }) {
  return (
    <Box flexDirection="column" height={height}>
      <Text bold>Keys (any key closes)</Text>
      {KEY_HELP.slice(0, Math.max(0, height - 1)).map(([k, v]) => (
        <Text key={k} wrap="truncate">
          <Text bold>{k.padEnd(13)}</Text>
          {v}
        </Text>
      ))}
    </Box>
  );
}
