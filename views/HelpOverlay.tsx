/** Every key (SPEC §4), shown by `?`, read from the keymap. */
import { Box, Text } from 'ink';
import { KEY_HELP } from '../src/input/keyHints.js';

export function HelpOverlay({ height }: { height: number }) {
  const room = Math.max(0, height - 1);
  // Keys that do not fit are counted, never dropped silently (a short terminal hid `q`).
  const shown = KEY_HELP.length > room ? KEY_HELP.slice(0, Math.max(0, room - 1)) : KEY_HELP;
  const hidden = KEY_HELP.slice(shown.length);
  return (
    <Box flexDirection="column" height={height}>
      <Text bold>Keys (any key closes)</Text>
      {shown.map(([k, v]) => (
        <Text key={k} wrap="truncate">
          <Text bold>{k.padEnd(13)}</Text>
          {v}
        </Text>
      ))}
      {hidden.length ? (
        <Text wrap="truncate" bold>
          {`+${hidden.length} more (a taller terminal shows them): ${hidden.map(([k]) => k).join(', ')}`}
        </Text>
      ) : null}
    </Box>
  );
}
