/**
 * The console screen. Heights are computed here so the frame is always rows - 1 lines:
 * a frame as tall as the terminal makes Ink clear the screen on every render (STACK-NOTES).
 */
import { Box } from 'ink';
import { useTerminalSize } from '../hooks/useTerminalSize.js';
import { useWarroom } from '../hooks/context.js';
import { EventLog } from './EventLog.js';
import { Footer } from './Footer.js';
import { GateDetail } from './GateDetail.js';
import { GateGrid } from './GateGrid.js';
import { Header } from './Header.js';
import { HelpOverlay } from './HelpOverlay.js';
import { RampPanel } from './RampPanel.js';

export interface AppLayout {
  header: number;
  ramp: number;
  grid: number;
  events: number;
  footer: number;
}

/** Splits the screen: header 2, ramp 2, footer 1, events a third of the rest (3 to 10), grid the remainder. */
export function layout(rows: number, extra = 0): AppLayout {
  const total = Math.max(12, rows - 1);
  const fixed = 2 + 2 + 1 + extra;
  const rest = total - fixed;
  const events = Math.max(3, Math.min(10, Math.floor(rest / 3)));
  return { header: 2, ramp: 2, grid: Math.max(3, rest - events), events, footer: 1 };
}

export function App() {
  const { columns, rows } = useTerminalSize();
  const help = useWarroom((s) => s.ui.help);
  const detail = useWarroom((s) => s.ui.detail);
  const l = layout(rows);
  const width = Math.max(40, columns);
  return (
    <Box flexDirection="column" width={width} height={l.header + l.ramp + l.grid + l.events + l.footer}>
      <Header />
      <RampPanel width={width} />
      {help ? (
        <HelpOverlay height={l.grid + l.events} />
      ) : (
        <>
          <GateGrid width={width} height={l.grid} />
          {detail ? <GateDetail height={l.events} /> : <EventLog height={l.events} width={width} />}
        </>
      )}
      <Footer />
    </Box>
  );
}
