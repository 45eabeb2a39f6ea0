/** The ramp area under the header: current stage, elapsed T+, next checkpoint (filled by the ramp model). */
import { Box, Text } from 'ink';
import { useWarroom } from '../hooks/context.js';

export function RampPanel({ width }: { width: number }) {
  const ramp = useWarroom((s) => s.config.ramp);
  const pct = useWarroom((s) => s.influence.pct);
  if (!ramp) {
    return (
      <Box height={2}>
        <Text dimColor>no ramp configured</Text>
      </Box>
    );
  }
  const stages = ramp.stages.map((s) => `${s.influence}%`).join(' ');
  return (
    <Box flexDirection="column" height={2} width={width}>
      <Text wrap="truncate">ramp {stages} · influence {pct ?? '?'}%</Text>
    </Box>
  );
}
