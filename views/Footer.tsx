/** The key hints, read from the keymap; `?` shows them all. */
import { Text } from 'ink';
import { useWarroom } from '../hooks/context.js';
import { useTerminalSize } from '../hooks/useTerminalSize.js';
import { footerKeys } from '../src/input/keyHints.js';

export function Footer() {
  const readOnly = useWarroom((s) => s.readOnly);
  const { columns } = useTerminalSize();
  return (
    <Text wrap="truncate" inverse>
      {footerKeys(columns, readOnly)}
    </Text>
  );
}
