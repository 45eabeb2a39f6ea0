/**
 * Below 80x24 the full screen would be cut off exactly where it matters (the overall light at
 * the end of the header, the kill confirm's `N% → 0%`), so this one says so and keeps only
 * what the room needs there: the light, the kill key, any open prompt, what the last key did
 * and what is in flight. Lines wrap instead of truncating: a narrow terminal still shows them.
 */
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { useTheme, useWarroom } from '../hooks/context.js';
import { flowContextOf } from '../src/viewmodel/flowContext.js';
import { smallScreenKeys } from '../src/input/keyHints.js';
import { oneLine } from '../src/util/sanitize.js';
import { shownNotice } from '../src/store/store.js';
import { ActionsPanel, countActionLines } from './ActionsPanel.js';
import { OverallLight } from './Light.js';
import { plain, tone } from './theme.js';
import { pctText } from '../src/viewmodel/format.js';
import { describeFlow, type Flow, type FlowContext } from '../src/viewmodel/prompt.js';

export const MIN_COLUMNS = 80;
export const MIN_ROWS = 24;

export function isTooSmall(columns: number, rows: number): boolean {
  return columns < MIN_COLUMNS || rows < MIN_ROWS;
}

/** The open prompt in a few short lines: the kill confirm leads with `from → 0%` so it fits. */
function promptLines(flow: Flow, ctx: FlowContext): string[] {
  if (flow.kind === 'kill') return [`KILL-SWITCH ${pctText(flow.data.from)} → 0%`, 'y or Enter confirms · Esc or n cancels'];
  const d = describeFlow(flow, ctx);
  // The palette's best matches (its lines) keep it usable on a small screen too.
  const lines = flow.kind === 'palette' ? d.lines : [];
  return [d.title, ...(d.input ? [`${d.input.label}: ${d.input.value}_`] : []), ...lines, ...(d.error ? [`error: ${d.error}`] : []), d.hint];
}

function Prompt({ width }: { width: number }) {
  const theme = useTheme();
  const state = useWarroom((s) => s);
  const ctx = useMemo(() => flowContextOf(state, state.now, Date.now()), [state]);
  if (!state.flow) return null;
  const accent = theme.color ? (state.flow.kind === 'kill' ? 'red' : 'yellow') : undefined;
  return (
    <Box flexDirection="column" width={width}>
      {promptLines(state.flow, ctx).map((l, i) => (
        <Text key={i} bold={i === 0} {...(accent && i === 0 ? { color: accent } : {})}>
          {plain(theme, oneLine(l, 300))}
        </Text>
      ))}
    </Box>
  );
}

export function SmallScreen({ columns, rows }: { columns: number; rows: number }) {
  const theme = useTheme();
  const overall = useWarroom((s) => s.overall.overall);
  const pct = useWarroom((s) => s.influence.pct);
  const readOnly = useWarroom((s) => s.readOnly);
  const flowOpen = useWarroom((s) => s.flow !== null);
  const notice = useWarroom(shownNotice);
  const actionLines = useWarroom((s) => countActionLines(s.actions, s.now));
  const width = Math.max(1, columns);
  return (
    // rows - 1: a frame as tall as the terminal makes Ink clear the screen on every render.
    <Box flexDirection="column" width={width} height={Math.max(1, rows - 1)} overflow="hidden">
      <Box>
        <OverallLight overall={overall} />
        <Text>
          {' '}influence {pct === undefined ? '?%' : `${pct}%`}
          {readOnly ? ' READ-ONLY' : ''}
        </Text>
      </Box>
      <Text bold {...tone(theme, 'warn')}>{`terminal too small (${columns}x${rows}, needs ${MIN_COLUMNS}x${MIN_ROWS})`}</Text>
      {flowOpen ? <Prompt width={width} /> : <Text>{smallScreenKeys(readOnly)}</Text>}
      {notice ? (
        <Text bold {...tone(theme, notice.level)}>
          {plain(theme, oneLine(notice.text, 300))}
        </Text>
      ) : null}
      <ActionsPanel lines={actionLines} />
    </Box>
  );
}
