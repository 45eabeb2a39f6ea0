/**
 * The `:` command palette (SPEC §9.5) over the grid: the filter line, the matching entries
 * (refused ones dimmed, with why), and the keys. The rows come from paletteRows.
 */
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { flowContextOf } from '../src/viewmodel/flowContext.js';
import { stripControl } from '../src/util/sanitize.js';
import { useTheme, useWarroom } from '../hooks/context.js';
import { fit, glyphs, plain } from './theme.js';
import { PALETTE_HINT, paletteRows } from '../src/viewmodel/prompt.js';

/** Lines the palette needs besides its rows: 2 borders, title, filter, hint. */
const CHROME = 5;

export function Palette({ width, height }: { width: number; height: number }) {
  const theme = useTheme();
  const state = useWarroom((s) => s);
  const ctx = useMemo(() => flowContextOf(state, state.now, Date.now()), [state]);
  const flow = state.flow;
  if (!flow || flow.kind !== 'palette') return null;
  const boxWidth = Math.max(20, Math.min(width, 100));
  const inner = boxWidth - 4;
  const visible = Math.max(1, height - CHROME - (flow.error ? 1 : 0));
  const { rows, total, more } = paletteRows(flow, ctx, visible);
  const cursor = glyphs(theme).cursor;
  const draft = stripControl(flow.draft, { keepNewlines: false });
  const accent = theme.color ? 'cyan' : undefined;
  return (
    <Box borderStyle={theme.ascii ? 'classic' : 'single'} borderColor={accent} flexDirection="column" paddingX={1} width={boxWidth} height={Math.min(height, rows.length + CHROME + (flow.error ? 1 : 0))}>
      <Text bold color={accent} wrap="truncate">
        {fit(plain(theme, `COMMANDS ${total} shown${more ? `, ${more} more (↑/↓)` : ''}`), inner)}
      </Text>
      <Text bold wrap="truncate">
        {fit(plain(theme, `: ${draft}_`), inner)}
      </Text>
      {rows.length === 0 ? <Text dimColor>nothing matches</Text> : null}
      {rows.map((r, i) => (
        <Text key={i} wrap="truncate" inverse={r.selected} dimColor={r.refused && !r.selected}>
          {fit(plain(theme, `${r.selected ? cursor : ' '} ${r.text}`), inner)}
        </Text>
      ))}
      {flow.error ? (
        <Text wrap="truncate" color={theme.color ? 'red' : undefined}>
          {fit(plain(theme, `error: ${flow.error}`), inner)}
        </Text>
      ) : null}
      <Text dimColor wrap="truncate">
        {fit(plain(theme, PALETTE_HINT), inner)}
      </Text>
    </Box>
  );
}
