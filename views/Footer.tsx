/** The key hints; `?` shows them all. */
import { Text } from 'ink';
import { useWarroom } from '../hooks/context.js';

export const FOOTER_KEYS = 'K kill  i set%  n next  d decide  s sign  w waive  a ack  r refresh  / filter  ? help  q quit';
export const FOOTER_KEYS_READONLY = 'READ-ONLY: actions disabled  |  j/k move  Enter detail  r refresh  / filter  ? help  q quit';

export function Footer() {
  const readOnly = useWarroom((s) => s.readOnly);
  return (
    <Text wrap="truncate" inverse>
      {readOnly ? FOOTER_KEYS_READONLY : FOOTER_KEYS}
    </Text>
  );
}
