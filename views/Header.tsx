/** Deployment, overall light, influence, clock, actor, READ-ONLY, and each source's health. */
import { Box, Text } from 'ink';
import { useShallow } from 'zustand/react/shallow';
import { useTheme, useWarroom } from '../hooks/context.js';
import { actionInFlight, type WarroomState } from '../src/store/store.js';
import { feedHealthText } from './feedHealth.js';
import { OverallLight } from './Light.js';
import { glyphs, plain, tone } from './theme.js';
import { formatDuration } from '../src/viewmodel/format.js';
import type { SourceHealth } from '../src/viewmodel/types.js';

/**
 * `score 87 % (pass ≥ 90)`: rounded down, so a score just below pass never reads as the pass
 * mark itself (89.6 shows 89, not 90).
 */
export function scoreHeaderText(value: number | null, pass: number, ascii = false): string {
  return `score ${value === null ? '?' : Math.floor(value)} % (pass ${ascii ? '>=' : '≥'} ${pass})`;
}

function clip(s: string, max: number, ellipsis: string): string {
  return s.length <= max ? s : s.slice(0, max - ellipsis.length) + ellipsis;
}

function clock(now: number): string {
  return new Date(now).toISOString().slice(11, 19) + 'Z';
}

export function Header() {
  const theme = useTheme();
  const h = useWarroom(
    useShallow((s) => ({
      name: s.config.deployment.name,
      env: s.config.deployment.environment,
      overall: s.overall.overall,
      score: s.overall.score?.value,
      scorePass: s.overall.score?.pass,
      pct: s.influence.pct,
      infErr: s.influence.error,
      now: s.now,
      actor: s.actor,
      role: s.role,
      readOnly: s.readOnly,
      mode: s.mode,
      inFlight: actionInFlight(s),
      auditFailing: s.audit.pending > 0 && s.audit.error !== undefined,
      roomMark: s.room ? (!s.room.online ? 'ROOM OFFLINE' : s.room.backlog > 0 ? `ROOM BACKLOG ${s.room.backlog}` : '') : '',
    })),
  );
  const influence = h.pct === undefined ? '?%' : `${h.pct}%`;
  return (
    <Box flexDirection="column">
      <Box>
        {h.scorePass === undefined ? (
          <Text wrap="truncate">
            <Text bold>warroom</Text> {plain(theme, `${h.name} ${glyphs(theme).sep} ${h.env}`)}{' '}
          </Text>
        ) : (
          // With a score only one part of the row may shrink: yoga splits a shortfall between two
          // truncating texts in fractions and rounds the row one column past the terminal.
          <Box flexShrink={0}>
            <Text>
              <Text bold>warroom</Text> {plain(theme, clip(`${h.name} ${glyphs(theme).sep} ${h.env}`, 28, glyphs(theme).ellipsis))}{' '}
            </Text>
          </Box>
        )}
        {/* The light never shrinks: a narrow row cuts the name or the details, never the answer. */}
        <Box flexShrink={0}>
          <OverallLight overall={h.overall} />
        </Box>
        <Text wrap="truncate">
          {/* First after the light, so the truncated end of the line never takes it. */}
          {h.scorePass !== undefined ? `  ${scoreHeaderText(h.score ?? null, h.scorePass, theme.ascii)}` : ''}
          {'  '}influence <Text bold>{influence}</Text>
          {h.infErr ? <Text {...tone(theme, 'warn')}> ({plain(theme, h.infErr.slice(0, 20))})</Text> : null}
          {'  '}
          {clock(h.now)}
          {'  '}
          {h.actor}
          {h.role ? ` (${h.role})` : ''}
          {h.mode === 'replay' ? '  REPLAY' : ''}
        </Text>
        {/* The marks never shrink or wrap: the texts before them truncate instead (READ-ONLY at 80 columns). */}
        {h.inFlight ? (
          <Box flexShrink={0}>
            <Text bold {...tone(theme, 'warn')}>
              {'  ACTION IN FLIGHT'}
            </Text>
          </Box>
        ) : null}
        {h.auditFailing ? (
          <Box flexShrink={0}>
            <Text bold inverse {...tone(theme, 'error')}>
              {' AUDIT NOT SAVED '}
            </Text>
          </Box>
        ) : null}
        {h.roomMark ? (
          <Box flexShrink={0}>
            <Text bold {...tone(theme, 'warn')}>
              {`  ${h.roomMark}`}
            </Text>
          </Box>
        ) : null}
        {h.readOnly ? (
          <Box flexShrink={0}>
            <Text bold inverse>
              {' READ-ONLY '}
            </Text>
          </Box>
        ) : null}
      </Box>
      <SourcesLine />
    </Box>
  );
}

/** `NOTIFY FAILING: slack#0, teams#3 (2 dropped)`, or '' when every sink delivers. */
function notifyFailingText(sinks: WarroomState['notify']): string {
  if (!sinks) return '';
  const failing = sinks.filter((x) => x.failing).map((x) => x.name);
  const dropped = sinks.reduce((n, x) => n + x.dropped, 0);
  if (!failing.length && !dropped) return '';
  return `${failing.length ? `NOTIFY FAILING: ${failing.join(', ')}` : 'NOTIFY'}${dropped ? ` (${dropped} dropped)` : ''}`;
}

function sourceText(s: SourceHealth, now: number): string {
  const age = s.lastSuccess !== undefined ? ` ${formatDuration(Math.max(0, now - s.lastSuccess))}` : '';
  return `${s.id} ${s.state}${s.state === 'pending' ? '' : age}`;
}

function SourcesLine() {
  const theme = useTheme();
  const sources = useWarroom((s) => s.sources);
  const feeds = useWarroom((s) => s.feeds);
  const now = useWarroom((s) => s.now);
  // First on the line, so a narrow terminal cuts sources, never this; the first line stays as it was.
  const notify = useWarroom((s) => notifyFailingText(s.notify));
  const room = useWarroom((s) => (s.room ? `${s.room.people}${s.room.dropped ? ` (${s.room.dropped} dropped)` : ''}` : ''));
  const list = Object.values(sources);
  return (
    <Text wrap="truncate">
      {notify ? (
        <Text bold inverse {...tone(theme, 'warn')}>
          {` ${notify} `}
        </Text>
      ) : null}
      {notify ? ' ' : ''}
      {room ? `${plain(theme, room)}  ` : ''}
      <Text dimColor>sources </Text>
      {list.map((s, i) => {
        const f = feeds[s.id];
        const health = f ? feedHealthText(f) : '';
        const extra = health ? ` (${plain(theme, health)})` : '';
        const level = s.state === 'up' ? 'ok' : s.state === 'pending' ? 'dim' : s.state === 'stale' ? 'warn' : 'error';
        return (
          <Text key={s.id}>
            {i > 0 ? ` ${glyphs(theme).sep} ` : ''}
            <Text {...tone(theme, level)}>{plain(theme, sourceText(s, now))}</Text>
            {extra}
          </Text>
        );
      })}
    </Text>
  );
}
