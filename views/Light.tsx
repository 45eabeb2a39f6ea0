/** A traffic light: glyph + word, coloured when colour is on. */
import { Text } from 'ink';
import { useTheme } from '../hooks/context.js';
import { glyphs, LIGHT_WORD, statusColor } from './theme.js';
import type { CriterionStatus, Overall } from '../src/viewmodel/types.js';

export function Light({ status, width }: { status: CriterionStatus; width?: number }) {
  const theme = useTheme();
  const word = LIGHT_WORD[status];
  const text = `${glyphs(theme).dot} ${word}`;
  const color = statusColor(theme, status);
  return (
    <Text {...(color ? { color } : {})} bold={status === 'FAIL'}>
      {width ? text.padEnd(width) : text}
    </Text>
  );
}

export function OverallLight({ overall }: { overall: Overall }) {
  const theme = useTheme();
  const color = statusColor(theme, overall);
  return (
    <Text {...(color ? { backgroundColor: color, color: 'black' } : {})} bold inverse={!theme.color}>
      {` ${overall} `}
    </Text>
  );
}
