/** Feed events, alerts, actions and outcomes, newest first. */
import { Box, Text } from 'ink';
import { useTheme, useWarroom } from '../hooks/context.js';
import { oneLine } from '../src/util/sanitize.js';
import { asciiOnly, glyphs, tone } from './theme.js';

export function EventLog({ height, width }: { height: number; width: number }) {
  const theme = useTheme();
  const events = useWarroom((s) => s.events);
  const shown = events.slice(0, Math.max(0, height - 1));
  return (
    <Box flexDirection="column" height={height}>
      <Text dimColor wrap="truncate">
        {`${glyphs(theme).bar.repeat(2)} events (newest first) ${glyphs(theme).bar.repeat(Math.max(0, width - 28))}`}
      </Text>
      {shown.length === 0 ? <Text dimColor>no events yet</Text> : null}
      {shown.map((e) => {
        // The origin sits before the text, where remote text cannot reach: our own lines never
        // start with "[", so "[feed] decision GO by alice" can never pass for ours.
        const text = (e.origin ? `[${e.origin}] ` : '') + oneLine(e.text, 400);
        return (
          <Text key={e.id} wrap="truncate" {...tone(theme, e.level === 'info' ? 'info' : e.level)}>
            {`${new Date(e.at).toISOString().slice(11, 19)} ${e.kind.padEnd(8)} ${theme.ascii ? asciiOnly(text) : text}`}
          </Text>
        );
      })}
    </Box>
  );
}
