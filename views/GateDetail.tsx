/** The selected gate's detail (Enter): query, source, value history, reason, sign-off, waiver. */
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { filterGates } from '../src/viewmodel/selectors.js';
import { displayUrl } from '../src/util/url.js';
import { oneLine } from '../src/util/sanitize.js';
import { useTheme, useWarroom } from '../hooks/context.js';
import { Light } from './Light.js';
import { asciiOnly, sparkline } from './theme.js';
import { formatDuration, formatValue, gateProbeId, judgedDetail } from '../src/viewmodel/format.js';
import type { HttpProbeSpec } from '../src/viewmodel/types.js';

const EMPTY: number[] = [];

/** `GET http://h/healthz, json_path $.ok`: the request and which part of the answer is the value. */
function httpWhat(h: HttpProbeSpec): string {
  const v = h.value;
  const part = v.kind === 'status' ? 'status code' : v.kind === 'latency' ? 'latency (s)' : v.kind === 'json_path' ? `json_path ${v.path}` : `header ${v.name}${v.match ? ` ~ ${v.match}` : ''}`;
  return `${h.method} ${displayUrl(h.url)}, ${part}`;
}

function filesRules(g: { field?: string; consecutive?: number; noFailuresWithin?: number; maxAge?: number }): string {
  const parts = [`newest file's ${g.field ?? 'status'}`];
  if (g.consecutive !== undefined) parts.push(`newest ${g.consecutive} PASS`);
  if (g.noFailuresWithin !== undefined) parts.push(`no failures within ${formatDuration(g.noFailuresWithin)}`);
  if (g.maxAge !== undefined) parts.push(`max age ${formatDuration(g.maxAge)}`);
  return parts.join(', ');
}

export function GateDetail({ height }: { height: number }) {
  const theme = useTheme();
  const config = useWarroom((s) => s.config);
  const filter = useWarroom((s) => s.ui.filter);
  const selected = useWarroom((s) => s.ui.selected);
  const visible = useMemo(() => filterGates(config.gates, filter), [config.gates, filter]);
  const gate = visible[selected];
  const result = useWarroom((s) => (gate ? s.gates[gate.id] : undefined));
  const reading = useWarroom((s) => (gate ? s.readings[gateProbeId(gate.id)] : undefined));
  const history = useWarroom((s) => (gate ? s.history[gate.id] : undefined)) ?? EMPTY;
  const now = useWarroom((s) => s.now);
  if (!gate) return <Text dimColor>no gate selected</Text>;
  const clean = (s: string) => (theme.ascii ? asciiOnly(oneLine(s, 300)) : oneLine(s, 300));
  const type = config.sources[gate.source]?.type;
  const what = gate.judge ? `${gate.judge.kind} (below)` :
    gate.query ??
    gate.metric ??
    gate.key ??
    (gate.http
      ? httpWhat(gate.http)
      : gate.source === 'manual'
        ? `sign-off by ${gate.signoffRole}`
        : type === 'alertmanager'
          ? `alerts {${(gate.filter ?? []).join(', ')}}${gate.silences === 'warn' ? ', silences warn' : ''}`
          : type === 'files'
            ? filesRules(gate)
            : 'exit code');
  const lines: [string, string][] = [
    ['gate', `${gate.id} (${gate.severity === 'info' ? 'info: watch-only, not counted' : gate.severity}, group ${gate.group})`],
  ];
  // Who to call and what to read come first (one line): the detail is opened when something is wrong.
  const contact = [gate.owner, gate.runbook ? `runbook ${gate.runbook}` : undefined].filter(Boolean).join(' · ');
  if (gate.owner) lines.push(['owner', contact]);
  else if (gate.runbook) lines.push(['runbook', gate.runbook]);
  // What to do about it comes next: the remedy runbook, one key away.
  if (gate.remedy) lines.push(['remedy', `press x to run ${config.actions.runbooks?.[gate.remedy]?.title ?? gate.remedy} (${gate.remedy})`]);
  lines.push(
    ['source', `${gate.source}: ${what}`],
    ['value', `${result ? formatValue(result.value) : '–'}  threshold ${result?.threshold ?? ''}${gate.for ? `  for ${formatDuration(gate.for)}` : ''}`],
    ['history', history.length ? `${sparkline(history, theme)}  min ${formatValue(Math.min(...history))} max ${formatValue(Math.max(...history))}` : '–'],
    ['age', result?.observedAt !== undefined ? `${formatDuration(Math.max(0, now - result.observedAt))} (stale after ${formatDuration(gate.staleAfter)})` : 'no data'],
    ['reason', result?.reason ?? 'not evaluated'],
  );
  // A judged gate's value and history are its window's figures and series.
  if (gate.judge) {
    // Its value and history are the window's figures and series, after the reason (the detail may be short).
    lines.splice(lines.findIndex(([k]) => k === 'value'), 2);
    lines.splice(lines.findIndex(([k]) => k === 'reason') + 1, 0, ...judgedDetail(gate, result, (v) => sparkline(v.filter(Number.isFinite), theme, 24)));
  }
  if (gate.description) lines.push(['about', gate.description]);
  if (reading?.detail) lines.push(['detail', reading.detail]);
  if (result?.signedBy) lines.push(['signed', `${result.signedBy.actor} (${result.signedBy.role}) at ${new Date(result.signedBy.at).toISOString()}`]);
  if (result?.waiver) lines.push(['waived', `${result.waiver.actor}: ${result.waiver.reason}, until ${new Date(result.waiver.expires).toISOString()}`]);
  if (gate.rollback) lines.push(['rollback', gate.rollback]);
  return (
    <Box flexDirection="column" height={height}>
      <Box>
        <Text bold>{gate.title} </Text>
        <Light status={result?.status ?? 'UNKNOWN'} />
        <Text dimColor>  (Enter or Esc closes)</Text>
      </Box>
      {lines.slice(0, Math.max(0, height - 1)).map(([k, v]) => (
        <Text key={k} wrap="truncate">
          <Text dimColor>{k.padEnd(9)}</Text>
          {clean(v)}
        </Text>
      ))}
    </Box>
  );
}
