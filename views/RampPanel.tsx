/** The ramp timeline: stages as a bar, T+ elapsed, each checkpoint with countdown or who acknowledged it. */
import { Box, Text } from 'ink';
import { useTheme, useWarroom } from '../hooks/context.js';
import { oneLine } from '../src/util/sanitize.js';
import { glyphs, plain, tone, type Theme } from './theme.js';
import { formatClock, formatDuration, checkpointLabel, formatT } from '../src/viewmodel/format.js';
import type { CheckpointView } from '../src/viewmodel/types.js';

function stageBar(stages: number[], current: number, theme: Theme): string {
  const g = glyphs(theme);
  return stages.map((pct, i) => `${i < current ? g.stageDone : i === current ? g.stageNow : g.stageTodo}${pct}%`).join(' ');
}

/** `next`: the first checkpoint still to come, named with its label like a due one (the room reads what comes next). */
function checkpointText(cp: CheckpointView, theme: Theme, next = false): string {
  const g = glyphs(theme);
  const label = `${checkpointLabel(cp.offsetMs)} ${oneLine(cp.label, 40)}`;
  switch (cp.state) {
    case 'acknowledged':
      return `${checkpointLabel(cp.offsetMs)} ${g.check} ${cp.ack?.actor ?? '?'} ${cp.ack ? new Date(cp.ack.at).toISOString().slice(11, 16) + 'Z' : ''}`;
    case 'due':
      return `${label}: DUE${cp.overdueMs ? ` ${formatDuration(cp.overdueMs)} ago` : ''} (a acks)`;
    case 'missed':
      return `${checkpointLabel(cp.offsetMs)} MISSED`;
    default:
      if (cp.countdownMs === undefined) return next ? label : checkpointLabel(cp.offsetMs);
      return `${next ? label : checkpointLabel(cp.offsetMs)} in ${formatClock(cp.countdownMs)}`;
  }
}

export function RampPanel({ width }: { width: number }) {
  const theme = useTheme();
  const cfg = useWarroom((s) => s.config.ramp);
  const view = useWarroom((s) => s.ramp);
  const pct = useWarroom((s) => s.influence.pct);
  if (!cfg) {
    return (
      <Box height={2}>
        <Text dimColor>no ramp configured</Text>
      </Box>
    );
  }
  const stages = cfg.stages.map((s) => s.influence);
  const sep = ` ${glyphs(theme).sep} `;
  let line1: string;
  let line2: string;
  let level: 'info' | 'warn' | 'error' = 'info';
  if (!view || !view.started) {
    line1 = `ramp ${stageBar(stages, -1, theme)}${sep}not started${view?.startsInMs !== undefined ? `, starts in ${formatClock(view.startsInMs)}` : cfg.start === 'manual' ? ' (starts when influence goes above 0)' : ''}`;
    line2 = `influence ${pct ?? '?'}%${sep}checkpoints ${cfg.stages[0]?.checkpoints.map((c) => checkpointLabel(c.at)).join(' ') || 'none'}`;
  } else if (view.rolledBack || view.stageIndex < 0) {
    line1 = `ramp ${stageBar(stages, -1, theme)}${sep}${formatT(view.elapsedMs)}${sep}ROLLED BACK to 0% ${formatDuration(view.stageElapsedMs)} ago`;
    line2 = view.nextStage ? `n proposes ${view.nextStage.influence}%` : '';
    level = 'error';
  } else {
    const stage = cfg.stages[view.stageIndex]!;
    const hold = view.holdComplete ? 'hold complete' : `hold ${formatDuration(view.stageRemainingMs ?? 0)} left`;
    const next = view.nextStage ? `${sep}n → ${view.nextStage.influence}%` : `${sep}last stage`;
    line1 = `ramp ${stageBar(stages, view.stageIndex, theme)}${sep}stage ${view.stageIndex + 1}/${stages.length} ${stage.influence}%${sep}${formatT(view.elapsedMs)}${sep}${hold}${next}`;
    const upNext = view.checkpoints.find((c) => c.state === 'upcoming');
    line2 = view.checkpoints.length ? view.checkpoints.map((c) => checkpointText(c, theme, c === upNext)).join(sep) : 'no checkpoints in this stage';
    if (view.due) level = 'warn';
  }
  return (
    <Box flexDirection="column" height={2} width={width}>
      <Text wrap="truncate">{plain(theme, line1)}</Text>
      <Text wrap="truncate" {...tone(theme, level)} bold={level !== 'info'}>
        {plain(theme, line2)}
      </Text>
    </Box>
  );
}
