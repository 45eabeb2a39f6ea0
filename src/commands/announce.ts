/**
 * `warroom announce [--config FILE] [--message TEXT] [--actor NAME]`: the pre-window message
 * (deployment, ramp plan, gates with the current check, roles) to every sink taking
 * `announce`; prints each sink's outcome; exit 0 when all delivered, 75 when any did not.
 */
import type { Parsed } from '../cli/args.js';
import { CliError, EXIT } from '../cli/exit.js';
import { loadConfigOrFail, resolveActor, type CliIo } from '../cli/io.js';
import type { Config } from '../config/types.js';
import { systemClock } from '../core/clock.js';
import { readAuthority } from '../audit/readAuthority.js';
import { runCheck } from './check.js';
import { announceEvent } from '../notify/compose.js';
import { wants, type NotifyEvent, type NotifyEventName } from '../notify/events.js';
import { EXIT_NOT_DELIVERED, formatOutcomes, sendOnce } from '../notify/send.js';
import { makeRedactor } from '../util/redactor.js';
import { stripControl } from '../util/sanitize.js';

/** The sinks for `event`, or the config problem of having none (exit 78). */
export function requireSinks(config: Config, event: NotifyEventName): void {
  const n = (config.notify ?? []).filter((s) => wants(s, event)).length;
  if (n === 0) throw new CliError(`no notify sink takes ${event}: add ${event} (or all) to a sink's on: list in ${config.file}`, EXIT.CONFIG);
}

/** Sends, prints one line per sink, and turns the outcomes into the exit code. */
export async function deliverAndReport(config: Config, event: NotifyEvent, io: CliIo): Promise<number> {
  const r = makeRedactor(config);
  const outcomes = await sendOnce(config, event);
  io.stdout.write(r(stripControl(formatOutcomes(outcomes))) + '\n');
  const all = outcomes.length > 0 && outcomes.every((o) => o.result === 'delivered');
  if (!all) io.stderr.write(`warroom: ${event.event} not delivered to every sink (exit ${EXIT_NOT_DELIVERED}: try again)\n`);
  return all ? 0 : EXIT_NOT_DELIVERED;
}

export async function announceCommand(p: Parsed, io: CliIo): Promise<number> {
  const config = await loadConfigOrFail(p.values.config as string | undefined, io);
  requireSinks(config, 'announce');
  const actor = resolveActor(p.values.actor as string | undefined, io.env);
  const message = typeof p.values.message === 'string' ? stripControl(p.values.message, { keepNewlines: true }) : undefined;
  const authority = await readAuthority(config, systemClock.now());
  const report = await runCheck(config, { clock: systemClock, signoffs: authority.signoffs, waivers: authority.waivers });
  const event = announceEvent(
    { config, now: systemClock.now(), actor, overall: report.overall, reasons: report.reasons, criteria: report.criteria },
    message ? { message } : {},
  );
  return deliverAndReport(config, event, io);
}
