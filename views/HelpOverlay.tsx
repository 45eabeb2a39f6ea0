/** Every key (SPEC §4), shown by `?`, read from the keymap. */
import { Box, Text } from 'ink';
import { KEY_HELP } from '../src/input/keyHints.js';

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
