/** Full-width rollback banner: which gate, its value and threshold, and what to press. */
import { Box, Text } from 'ink';
import { formatClock } from '../src/config/duration.js';
import type { TriggerState } from '../src/ramp/triggers.js';
import { useTheme, useWarroom } from '../hooks/context.js';
import { fit, plain } from './theme.js';

export function bannerText(t: TriggerState, now: number): string {
  const what = `${t.gate} = ${t.value === undefined ? '?' : String(t.value)} fails ${t.threshold ?? '?'}`;
  switch (t.phase) {
    case 'armed':
      return `AUTO-ROLLBACK in ${formatClock(Math.max(0, (t.firesAt ?? now) - now))}: ${what}. Press a to cancel, K to fire now`;
    case 'raised':
      return `ROLLBACK TRIGGER: ${what}. Press K for the kill-switch`;
    case 'fired':
      return `AUTO-ROLLBACK FIRED: ${what}. Kill-switch sent`;
    case 'cancelled':
      return `auto-rollback cancelled: ${what} (re-arms after the gate recovers)`;
    default:
      return '';
  }
}

export function Banner({ width, lines }: { width: number; lines: number }) {
  const theme = useTheme();
  const banner = useWarroom((s) => s.banner);
  const now = useWarroom((s) => s.now);
  if (lines <= 0 || banner.length === 0) return null;
  return (
    <Box flexDirection="column">
      {banner.slice(0, lines).map((t) => (
        <Text key={t.gate} bold inverse {...(theme.color ? { color: t.phase === 'cancelled' ? 'yellow' : 'red' } : {})}>
          {fit(plain(theme, ` ${bannerText(t, now)}`), width)}
        </Text>
      ))}
    </Box>
  );
}
