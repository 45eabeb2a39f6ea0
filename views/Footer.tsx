/** The key hints; `?` shows them all. */
import { Text } from 'ink';
import { useWarroom } from '../hooks/context.js';

import { useTerminalSize } from '../hooks/useTerminalSize.js';

export const FOOTER_KEYS = 'K kill  i set%  n next  d decide  s sign  w waive  a ack  r refresh  / filter  ? help  q quit';
/** ≤ 79 columns: the whole key list must stay readable at 80x24. */
export const FOOTER_KEYS_NARROW = 'K kill i set% n next d decide s sign w waive a ack r refresh /find ?help q quit';
export const FOOTER_KEYS_READONLY = 'READ-ONLY | j/k move  Enter detail  r refresh  / filter  ? help  q quit';

export function Footer() {
  const readOnly = useWarroom((s) => s.readOnly);
  const { columns } = useTerminalSize();
  const keys = readOnly ? FOOTER_KEYS_READONLY : columns > FOOTER_KEYS.length ? FOOTER_KEYS : FOOTER_KEYS_NARROW;
  return (
    <Text wrap="truncate" inverse>
      {keys}
    </Text>
  );
}
