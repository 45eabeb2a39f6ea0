/** Full-width rollback banner: which gate, its value and threshold, and what to press. */
import { Box, Text } from 'ink';
import { useTheme, useWarroom } from '../hooks/context.js';
import { fit, plain } from './theme.js';
import { actorOf } from '../src/viewmodel/flowContext.js';
import type { WarroomState } from '../src/store/store.js';
import { overrideBannerLines, overrideBannerText, shownRequest } from './overrideText.js';
import { formatClock } from '../src/viewmodel/format.js';
import { actRefusal } from '../src/viewmodel/prompt.js';
import type { TriggerState } from '../src/viewmodel/types.js';

/** The remedy hint a banner carries when its gate names a runbook (SPEC §9.5). */
export function remedyHint(remedyTitle: string | undefined): string {
  return remedyTitle === undefined ? '' : ` · press x to run ${remedyTitle}`;
}

/** The title of the runbook a gate names as its remedy, when this console's actor may run it. */
export function remedyTitleOf(s: WarroomState, gate: string): string | undefined {
  const id = s.config.gates.find((g) => g.id === gate)?.remedy;
  const rb = id === undefined ? undefined : s.config.actions.runbooks?.[id];
  if (!rb) return undefined;
  return actRefusal('runbook', actorOf(s), rb.roles ? { roles: rb.roles } : {}) ? undefined : rb.title;
}

export function bannerText(t: TriggerState, now: number, watchOnly = false, remedyTitle?: string): string {
  const what = `${t.gate} = ${t.value === undefined ? '?' : String(t.value)} fails ${t.threshold ?? '?'}`;
  const x = remedyHint(remedyTitle);
  switch (t.phase) {
    case 'armed':
      if (watchOnly) return `AUTO-ROLLBACK in ${formatClock(Math.max(0, (t.firesAt ?? now) - now))}: ${what}. Armed by the room: this console sends nothing`;
      return `AUTO-ROLLBACK in ${formatClock(Math.max(0, (t.firesAt ?? now) - now))}: ${what}. ${x ? `a cancels, K fires now${x}` : 'Press a to cancel, K to fire now'}`;
    case 'fired':
      if (watchOnly) return `AUTO-ROLLBACK DUE: ${what}. Armed by the room: this console sent nothing`;
      return `AUTO-ROLLBACK FIRED: ${what}. Kill-switch sent`;
    case 'raised':
      // With a remedy the line must hold both keys, so the kill key says less (it is first all the same).
      return x ? `ROLLBACK TRIGGER: ${what}. K kill-switch${x}` : `ROLLBACK TRIGGER: ${what}. Press K for the kill-switch`;
    case 'cancelled':
      return `auto-rollback cancelled: ${what} (re-arms after the gate recovers)`;
    default:
      return '';
  }
}

/** Lines of the audit banner: one when writes are failing, none otherwise. */
export function auditBannerLines(s: Pick<WarroomState, 'audit'>): number {
  return s.audit.pending > 0 && s.audit.error !== undefined ? 1 : 0;
}

/** Every banner line wanted: audit, triggers, the override request. */
export function bannerLines(s: Pick<WarroomState, 'audit' | 'banner' | 'overrides'>): number {
  return s.banner.length + auditBannerLines(s) + overrideBannerLines(s);
}

export function auditBannerText(a: WarroomState['audit']): string {
  return `AUDIT NOT SAVED: ${a.pending} line(s) pending (${a.error ?? 'still writing'}); retrying, q asks first`;
}

export function Banner({ width, lines }: { width: number; lines: number }) {
  const theme = useTheme();
  const banner = useWarroom((s) => s.banner);
  const now = useWarroom((s) => s.now);
  const audit = useWarroom((s) => s.audit);
  const watchOnly = useWarroom((s) => actRefusal('kill', actorOf(s)) !== undefined);
  // One string per banner (stable for the store's equality check), '' when there is no remedy to offer.
  const remedies = useWarroom((s) => s.banner.map((t) => remedyTitleOf(s, t.gate) ?? '').join('\u0000'));
  const remedyTitles = remedies.split('\u0000');
  const auditLines = auditBannerLines({ audit });
  const request = useWarroom((s) => shownRequest(s));
  const requestText = useWarroom((s) => (request ? overrideBannerText(request, s) : ''));
  const requestLines = request ? 1 : 0;
  if (lines <= 0 || banner.length + auditLines + requestLines === 0) return null;
  // Audit first, then the rollback triggers (the urgent ones), then the request.
  const triggerLines = Math.max(0, Math.min(banner.length, lines - auditLines));
  const showRequest = requestLines > 0 && lines - auditLines - triggerLines > 0;
  return (
    <Box flexDirection="column">
      {auditLines ? (
        <Text bold inverse {...(theme.color ? { color: 'red' } : {})}>
          {fit(plain(theme, ` ${auditBannerText(audit)}`), width)}
        </Text>
      ) : null}
      {banner.slice(0, triggerLines).map((t, i) => (
        <Text key={t.gate} bold inverse {...(theme.color ? { color: t.phase === 'cancelled' ? 'yellow' : 'red' } : {})}>
          {fit(plain(theme, ` ${bannerText(t, now, watchOnly, remedyTitles[i] || undefined)}`), width)}
        </Text>
      ))}
      {showRequest ? (
        <Text bold inverse {...(theme.color ? { color: request!.state === 'complete' ? 'green' : 'yellow' } : {})}>
          {fit(plain(theme, ` ${requestText}`), width)}
        </Text>
      ) : null}
    </Box>
  );
}
