/**
 * The console screen. Heights are computed here so the frame is always rows - 1 lines:
 * a frame as tall as the terminal makes Ink clear the screen on every render (STACK-NOTES).
 */
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { flowContextOf } from '../src/viewmodel/flowContext.js';
import { shownNotice } from '../src/store/store.js';
import { useTerminalSize } from '../hooks/useTerminalSize.js';
import { useTheme, useWarroom } from '../hooks/context.js';
import { ActionsPanel, countActionLines } from './ActionsPanel.js';
import { Banner, bannerLines } from './Banner.js';
import { EventLog } from './EventLog.js';
import { Footer } from './Footer.js';
import { GateDetail } from './GateDetail.js';
import { GateGrid } from './GateGrid.js';
import { Header } from './Header.js';
import { HelpOverlay } from './HelpOverlay.js';
import { Palette } from './Palette.js';
import { PromptPanel } from './PromptPanel.js';
import { RampPanel } from './RampPanel.js';
import { isTooSmall, SmallScreen } from './SmallScreen.js';
import { asciiOnly, tone } from './theme.js';
import { oneLine } from '../src/util/sanitize.js';

export interface AppLayout {
  header: number;
  ramp: number;
  banner: number;
  actions: number;
  grid: number;
  lower: number;
  notice: number;
  footer: number;
}

export const PROMPT_HEIGHT = 8;

/**
 * Splits the screen: header 2, ramp 2, banner and actions as needed (≤ 2 each), a notice
 * line, footer 1; the lower area (events, detail or a prompt) a third of the rest (3 to 10,
 * 8 for a prompt), the grid the remainder.
 */
export function layout(rows: number, need: { banner: number; actions: number; notice: boolean; prompt: boolean }): AppLayout {
  const total = Math.max(16, rows - 1);
  const banner = Math.min(2, need.banner);
  const actions = Math.min(2, need.actions);
  const notice = need.notice ? 1 : 0;
  const rest = total - (2 + 2 + 1 + banner + actions + notice);
  const lower = need.prompt ? Math.min(PROMPT_HEIGHT, rest - 3) : Math.max(3, Math.min(10, Math.floor(rest / 3)));
  return { header: 2, ramp: 2, banner, actions, grid: Math.max(2, rest - lower), lower, notice, footer: 1 };
}

function Notice({ width }: { width: number }) {
  const theme = useTheme();
  const notice = useWarroom(shownNotice);
  if (!notice) return null;
  const text = oneLine(notice.text, width);
  return (
    <Text wrap="truncate" bold {...tone(theme, notice.level)}>
      {theme.ascii ? asciiOnly(text) : text}
    </Text>
  );
}

function Prompt({ width, height }: { width: number; height: number }) {
  const theme = useTheme();
  const flow = useWarroom((s) => s.flow);
  const state = useWarroom((s) => s);
  // Re-derived per render while a prompt is open: cheap, and prompts are short-lived.
  const ctx = useMemo(() => flowContextOf(state, state.now, Date.now()), [state]);
  if (!flow) return null;
  return (
    <Box height={height} flexDirection="column">
      <PromptPanel flow={flow} ctx={ctx} width={Math.min(width, 100)} ascii={theme.ascii} color={theme.color} />
    </Box>
  );
}

export function App() {
  const { columns, rows } = useTerminalSize();
  const help = useWarroom((s) => s.ui.help);
  const detail = useWarroom((s) => s.ui.detail);
  const flowOpen = useWarroom((s) => s.flow !== null);
  const paletteOpen = useWarroom((s) => s.flow?.kind === 'palette');
  const bannerCount = useWarroom((s) => bannerLines(s));
  const actionLines = useWarroom((s) => countActionLines(s.actions, s.now));
  const hasNotice = useWarroom((s) => shownNotice(s) !== undefined);
  if (isTooSmall(columns, rows)) return <SmallScreen columns={columns} rows={rows} />;
  const l = layout(rows, { banner: bannerCount, actions: actionLines, notice: hasNotice, prompt: flowOpen });
  const width = Math.max(40, columns);
  const height = l.header + l.ramp + l.banner + l.actions + l.grid + l.lower + l.notice + l.footer;
  let lower;
  if (paletteOpen) lower = null;
  else if (flowOpen) lower = <Prompt width={width} height={l.lower} />;
  else if (help) lower = null;
  else if (detail) lower = <GateDetail height={l.lower} />;
  else lower = <EventLog height={l.lower} width={width} />;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Header />
      <RampPanel width={width} />
      <Banner width={width} lines={l.banner} />
      <ActionsPanel lines={l.actions} />
      {paletteOpen ? (
        // Over the grid and the lower area: the list needs the rows, and the palette is short-lived.
        <Box height={l.grid + l.lower} flexDirection="column">
          <Palette width={width} height={l.grid + l.lower} />
        </Box>
      ) : help && !flowOpen ? (
        <HelpOverlay height={l.grid + l.lower} />
      ) : (
        <GateGrid width={width} height={l.grid} />
      )}
      {lower}
      {l.notice ? <Notice width={width} /> : null}
      <Footer />
    </Box>
  );
}
