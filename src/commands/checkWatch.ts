/**
 * `warroom check --watch [--interval D] [--timeout D] [--fail-after D] [--notify]` (SPEC §9.4):
 * the CLI half of check/watch.ts. Output is redacted like `check`; SIGINT and SIGTERM end the
 * watch cleanly with 130 and 143.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { readAuthority } from '../audit/readAuthority.js';
import { runWatch, WATCH_DEFAULTS, type WatchHooks, type WatchOptions } from './checkWatchLoop.js';
import { changeJson, changeText, endSentence, finalJson, finalText } from './checkWatchFormat.js';
import type { Parsed } from '../cli/args.js';
import { CliError, EXIT } from '../cli/exit.js';
import { loadConfigOrFail, resolveActor, type CliIo } from '../cli/io.js';
import type { Config } from '../config/types.js';
import { parseDuration } from '../config/duration.js';
import { systemClock } from '../core/clock.js';
import { stripControl } from '../util/sanitize.js';
import { makeRedactor, redactDeep } from '../util/redactor.js';

function durationFlag(values: Parsed['values'], name: string, min: number, minText: string): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  let ms: number;
  try {
    ms = parseDuration(String(raw));
  } catch (e) {
    throw new CliError(`--${name}: ${(e as Error).message}`, EXIT.USAGE);
  }
  if (ms < min) throw new CliError(`--${name} must be at least ${minText} (got "${String(raw)}")`, EXIT.USAGE);
  return ms;
}

export function watchOptions(values: Parsed['values']): WatchOptions {
  const opts: WatchOptions = {
    intervalMs: durationFlag(values, 'interval', 100, '100ms') ?? WATCH_DEFAULTS.intervalMs,
    timeoutMs: durationFlag(values, 'timeout', 1, '1ms') ?? WATCH_DEFAULTS.timeoutMs,
  };
  const failAfter = durationFlag(values, 'fail-after', 0, '0s');
  if (failAfter !== undefined) opts.failAfterMs = failAfter;
  return opts;
}

/**
 * `--notify`: the final verdict goes to every sink that takes `overall`, once the watch has
 * ended (the exit code stays the verdict's; an undelivered message is said on stderr). A watch
 * cancelled by a signal gives the sinks only a short budget: a CI runner follows SIGTERM with
 * SIGKILL within seconds, and the exit code must get out first.
 */
export const CANCELLED_NOTIFY_BUDGET_MS = 2000;

function notifyHooks(config: Config, hooks: WatchHooks, actor: string, say: (s: string) => void): WatchHooks | undefined {
  if (!(config.notify ?? []).length) return undefined;
  let first: string | undefined;
  return {
    onChange(c) {
      first ??= c.overall;
      hooks.onChange?.(c);
    },
    async onVerdict(report, exitCode, end) {
      if (!report) return;
      const cancelledBy = end === 'signal' ? (exitCode === EXIT.SIGTERM ? 'SIGTERM' : 'SIGINT') : undefined;
      const { sendOnce, formatOutcomes } = await import('../notify/send.js');
      const { checkEvent } = await import('../notify/window.js');
      const event = checkEvent(config, report, { actor, ...(first ? { previous: first } : {}), ...(cancelledBy ? { cancelledBy } : {}) });
      const outcomes = await sendOnce(config, event, cancelledBy ? { timeoutMs: CANCELLED_NOTIFY_BUDGET_MS } : {});
      const head = cancelledBy ? `--notify (watch cancelled by ${cancelledBy}):` : '--notify:';
      if (outcomes.length === 0) say(`${head} no sink takes the overall event`);
      else say(`${head}\n${formatOutcomes(outcomes)}`);
    },
  };
}

export async function watchCommand(p: Parsed, io: CliIo): Promise<number> {
  const format = (p.values.format as string | undefined) ?? 'text';
  if (format !== 'text' && format !== 'json') throw new CliError(`--format must be text or json (got "${format}")`, EXIT.USAGE);
  const opts = watchOptions(p.values);
  const config = await loadConfigOrFail(p.values.config as string | undefined, io);
  const r = makeRedactor(config);
  const say = (s: string) => io.stderr.write(r(stripControl(s, { keepNewlines: false })) + '\n');
  const warned = new Set<string>();
  const once = (s: string) => {
    if (warned.has(s)) return;
    warned.add(s);
    say(s);
  };

  let hooks: WatchHooks = {
    onChange(c) {
      const red = redactDeep(c, r);
      io.stdout.write(r(format === 'json' ? changeJson(red) : changeText(red)));
    },
  };
  if (p.values.notify) {
    const wired = notifyHooks(config, hooks, resolveActor(p.values.actor as string | undefined, io.env), (t) => io.stderr.write(r(stripControl(t)) + '\n'));
    if (wired) hooks = wired;
    else say('--notify: no notify sinks configured');
  }

  const ctrl = new AbortController();
  const onInt = () => ctrl.abort({ exitCode: EXIT.SIGINT });
  const onTerm = () => ctrl.abort({ exitCode: EXIT.SIGTERM });
  process.once('SIGINT', onInt);
  process.once('SIGTERM', onTerm);
  try {
    const res = await runWatch(
      config,
      opts,
      {
        clock: systemClock,
        signal: ctrl.signal,
        authority: async (now) => {
          const a = await readAuthority(config, now);
          for (const w of a.warnings) once(`warning: ${w}`);
          for (const u of a.unverified) once(`unverified sign-off (not counted): ${u.role}${u.gate ? ` on ${u.gate}` : ''} by ${u.actor}: ${u.why}`);
          return a;
        },
      },
      hooks,
    );
    const report = res.report ? redactDeep(res.report, r) : undefined;
    const sentence = endSentence(res.end, res.exitCode, res.heldMs, report?.overall, opts);
    if (format === 'json') {
      io.stdout.write(r(finalJson(report, res.end, res.exitCode, res.heldMs)));
      say(sentence);
    } else io.stdout.write(r(finalText(report, sentence)));
    if (p.values.output && report) {
      try {
        await writeFile(resolve(io.cwd, p.values.output as string), r(JSON.stringify(report, null, 2) + '\n'));
      } catch (err) {
        throw new CliError(`cannot write ${String(p.values.output)}: ${(err as Error).message}`, EXIT.INTERNAL);
      }
    }
    return res.exitCode;
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
}
