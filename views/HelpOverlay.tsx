/** Every key (SPEC §4), shown by `?`, read from the keymap. */
import { Box, Text } from 'ink';
import { KEY_HELP } from '../src/input/keyHints.js';

/** Help lines that a short terminal drops first (they are also in the footer or self-evident). */
const YIELDS_FIRST = new Set(['j/k, arrows', 'Enter', '/', 'r', '?']);

export function HelpOverlay({ height }: { height: number }) {
  const room = Math.max(0, height - 1);
  // Keys that do not fit are counted, never dropped silently; moving around and finding things
  // give way first, so the act keys and how to quit stay on a short terminal.
  const over = KEY_HELP.length > room ? KEY_HELP.length - Math.max(0, room - 1) : 0;
  const yielding = over ? KEY_HELP.filter(([k]) => YIELDS_FIRST.has(k)).slice(-over) : [];
  const rest = KEY_HELP.filter((e) => !yielding.includes(e));
  const shown = over > yielding.length ? rest.slice(0, rest.length - (over - yielding.length)) : rest;
  const hidden = KEY_HELP.filter((e) => !shown.includes(e));
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
