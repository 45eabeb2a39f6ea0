/** The traffic-light grid: gates grouped, each row light + name + value + threshold + age. */
import { Box, Text } from 'ink';
import { Fragment, useMemo } from 'react';
import { filterGates, scrollWindow } from '../src/viewmodel/selectors.js';
import { oneLine } from '../src/util/sanitize.js';
import { useTheme, useWarroom } from '../hooks/context.js';
import { Light } from './Light.js';
import { gridWindow } from './gridWindow.js';
import { asciiOnly, fit, fitColumns, glyphs, splitColumns, tone, type Theme } from './theme.js';
import { formatDuration, formatValue, judgedCell } from '../src/viewmodel/format.js';
import type { GateConfig, GateResult } from '../src/viewmodel/types.js';

type Row = { kind: 'group'; name: string } | { kind: 'gate'; gate: GateConfig; index: number };

export function buildRows(gates: GateConfig[]): Row[] {
  const rows: Row[] = [];
  let group: string | undefined;
  gates.forEach((g, index) => {
    if (g.group !== group) {
      group = g.group;
      rows.push({ kind: 'group', name: g.group });
    }
    rows.push({ kind: 'gate', gate: g, index });
  });
  return rows;
}

export function GateGrid({ width, height }: { width: number; height: number }) {
  const theme = useTheme();
  const config = useWarroom((s) => s.config);
  const filter = useWarroom((s) => s.ui.filter);
  const filtering = useWarroom((s) => s.ui.filtering);
  const selected = useWarroom((s) => s.ui.selected);
  const results = useWarroom((s) => s.gates);
  const now = useWarroom((s) => s.now);
  const visible = useMemo(() => filterGates(config.gates, filter), [config.gates, filter]);
  const rows = useMemo(() => buildRows(visible), [visible]);
  const titleLine = filter || filtering ? 1 : 0;
  const bodyHeight = Math.max(1, height - titleLine);
  const selRow = rows.findIndex((r) => r.kind === 'gate' && r.index === selected);
  const win = gridWindow(rows.length, bodyHeight, Math.max(0, selRow), (i) => {
    const r = rows[i];
    return r?.kind === 'gate' ? { title: r.gate.title, status: results[r.gate.id]?.status ?? 'UNKNOWN' } : undefined;
  });
  const cols = columns(width);
  const body = rows.slice(win.start, win.end);
  const clean = (t: string) => (theme.ascii ? asciiOnly(oneLine(t)) : oneLine(t));
  const groupLine = (name: string) => splitColumns(fitColumns(fit(clean(name), width - 1), width - 1), LEFT(cols));
  return (
    <Box flexDirection="column" height={height}>
      {titleLine ? (
        <Text wrap="truncate">
          filter: <Text bold>{filter}</Text>
          {filtering ? '_' : ''} <Text dimColor>({visible.length}/{config.gates.length}{filtering ? ', Enter keeps, Esc clears' : ''})</Text>
        </Text>
      ) : null}
      {rows.length === 0 ? <Text dimColor>no gate matches the filter</Text> : null}
      {body.length ? (
        // The window is two Texts side by side, the lights and the rest of each line: Ink 6 lays
        // out and rasterises every node of every frame, and the grid redraws each second, so few
        // nodes (colour is nested Text, no layout node); and the wide column stays plain ASCII,
        // which Ink measures in one step where a line holding a "●" goes through grapheme
        // segmentation (BENCHMARKS.md, issue 23). A multi-line Text cannot truncate line by
        // line, so each line is cut to the width here.
        <Box>
          <Text>{body.map((r, k) => <Fragment key={key(r)}>{k ? '\n' : ''}{r.kind === 'group' ? <Text bold underline>{groupLine(r.name).left}</Text> : <RowLight status={results[r.gate.id]?.status ?? 'UNKNOWN'} selected={r.index === selected} cols={cols} theme={theme} />}</Fragment>)}</Text>
          <Text>{body.map((r, k) => <Fragment key={key(r)}>{k ? '\n' : ''}{r.kind === 'group' ? <Text bold underline>{groupLine(r.name).right}</Text> : <RowRest gate={r.gate} result={results[r.gate.id]} selected={r.index === selected} now={now} cols={cols} theme={theme} width={width} />}</Fragment>)}</Text>
        </Box>
      ) : null}
      {win.more ? (
        <Text wrap="truncate" bold {...tone(theme, win.more.nogo ? 'error' : 'info')}>
          {theme.ascii ? asciiOnly(oneLine(win.more.text)) : oneLine(win.more.text)}
        </Text>
      ) : null}
    </Box>
  );
}

function columns(width: number) {
  const light = 9;
  const value = width >= 100 ? 12 : 9;
  const threshold = width >= 100 ? 26 : 18;
  const age = 5;
  const name = Math.max(10, width - 2 - light - value - threshold - age - 5);
  return { light, name, value, threshold, age };
}

const key = (r: Row) => (r.kind === 'group' ? `g:${r.name}` : r.gate.id);
/** The lights column: cursor or blank, then the light. */
const LEFT = (cols: ReturnType<typeof columns>) => 2 + cols.light;

function RowLight({ status, selected, cols, theme }: { status: GateResult['status']; selected: boolean; cols: ReturnType<typeof columns>; theme: Theme }) {
  return (
    <>
      {selected ? <Text inverse>{`${glyphs(theme).cursor} `}</Text> : '  '}
      <Light status={status} width={cols.light} />
    </>
  );
}

function RowRest(props: { gate: GateConfig; result: GateResult | undefined; selected: boolean; now: number; cols: ReturnType<typeof columns>; theme: Theme; width: number }) {
  const { gate, result, selected, now, cols, theme, width } = props;
  const g = glyphs(theme);
  const value = result ? formatValue(result.value) : '–';
  const age = result?.observedAt !== undefined ? formatDuration(Math.max(0, now - result.observedAt)) : '';
  let name = gate.title;
  if (gate.severity === 'advisory') name += ' (adv)';
  else if (gate.severity === 'info') name += ' (info)';
  if (result?.signedBy) name += ` ${g.check}${result.signedBy.actor}`;
  if (result?.pendingSince !== undefined) name += ` (${result.raw} pending)`;
  if (gate.rollback) name += gate.rollback === 'auto' ? ' [auto-rb]' : ' [rb]';
  const clean = (s: string) => (theme.ascii ? asciiOnly(oneLine(s)) : oneLine(s));
  // A judged gate's effect and interval need the value and threshold columns together.
  const cells = gate.judge
    ? fit(clean(judgedCell(gate, result)), cols.value + 1 + cols.threshold, g.ellipsis)
    : `${fit(clean(value), cols.value, g.ellipsis)} ${fit(clean(result?.threshold ?? gate.go?.text ?? ''), cols.threshold, g.ellipsis)}`;
  // Trailing blanks are not written (the selected row keeps its bar): Ink's frame starts blank, and
  // every character written is tokenised again each frame. Cut to the terminal for wide characters.
  const line = fitColumns(`${fit(clean(name), cols.name, g.ellipsis)} ${cells} ${fit(age, cols.age)}`, Math.max(0, width - LEFT(cols)));
  return selected ? <Text inverse>{line}</Text> : <>{line.trimEnd()}</>;
}
