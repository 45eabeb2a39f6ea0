/** `warroom check [--strict] [--room] [--dir DIR] [--format text|json] [--output FILE]`: the CLI half of check.ts. */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { readAuthority } from '../audit/readAuthority.js';
import type { Parsed } from '../cli/args.js';
import { CliError, EXIT } from '../cli/exit.js';
import { loadConfigOrFail, warnShortSecrets, type CliIo } from '../cli/io.js';
import { systemClock } from '../core/clock.js';
import { makeRedactor, redactDeep } from '../util/redactor.js';
import { stripControl } from '../util/sanitize.js';
import { runCheck, strictExitCode } from './check.js';
import { formatJson, formatText } from './checkFormat.js';

/** sysexits EX_UNAVAILABLE: the room's servers or stream cannot be read. */
const EX_UNAVAILABLE = 69;

/** `check --room`: sign-offs read from the room's stream (loaded only then). */
async function roomAuthority(config: Parameters<typeof readAuthority>[0], dir?: string): ReturnType<typeof readAuthority> {
  if (!config.room.nats) throw new CliError('--room needs room.nats in the config', EXIT.USAGE);
  try {
    return await (await import('../room/audit.js')).readRoomAuthority(config, systemClock.now(), dir);
  } catch (e) {
    throw new CliError((e as Error).message, EX_UNAVAILABLE);
  }
}

/**
 * `--watch` is checkWatch.ts, given by the caller: the `check` bundle (cli/checkMain.ts) leaves
 * the watch and its sources out, and the binary runs `check --watch` through the main entry.
 */
export async function checkCommand(p: Parsed, io: CliIo, watch?: (p: Parsed, io: CliIo) => Promise<number>): Promise<number> {
  if (p.values.watch && p.values.dir !== undefined) throw new CliError('--dir goes without --watch (the watch reads audit.dir)', EXIT.USAGE);
  if (p.values.watch && p.values.room) throw new CliError('--room reads the room once: use it without --watch', EXIT.USAGE);
  if (p.values.watch) {
    if (!watch) throw new CliError('check --watch runs through the main entry', EXIT.INTERNAL);
    return watch(p, io);
  }
  const watchOnly = ['interval', 'timeout', 'fail-after', 'notify'].filter((f) => p.values[f] !== undefined);
  if (watchOnly.length) throw new CliError(`${watchOnly.map((f) => `--${f}`).join(', ')} only go with --watch`, EXIT.USAGE);
  const format = (p.values.format as string | undefined) ?? 'text';
  if (format !== 'text' && format !== 'json') throw new CliError(`--format must be text or json (got "${format}")`, EXIT.USAGE);
  const config = await loadConfigOrFail(p.values.config as string | undefined, io);
  warnShortSecrets(config, io);
  // --dir reads that audit dir (besides the room's stream with --room).
  const dir = typeof p.values.dir === 'string' ? resolve(io.cwd, p.values.dir) : undefined;
  const authority = p.values.room ? await roomAuthority(config, dir) : await readAuthority(dir ? { ...config, audit: { ...config.audit, dir } } : config, systemClock.now());
  // Redacted field by field (a secret with a quote in it is escaped in JSON text), then as text.
  const r = makeRedactor(config);
  const report = redactDeep(await runCheck(config, { clock: systemClock, signoffs: authority.signoffs, waivers: authority.waivers }), r);
  const json = r(formatJson(report));
  io.stdout.write(format === 'json' ? json : r(formatText(report)));
  for (const w of authority.warnings) io.stderr.write(`warning: ${r(stripControl(w, { keepNewlines: false }))}
`);
  for (const u of authority.unverified) {
    io.stderr.write(`unverified sign-off (not counted): ${r(stripControl(`${u.role}${u.gate ? ` on ${u.gate}` : ''} by ${u.actor}: ${u.why}`, { keepNewlines: false }))}
`);
  }
  if (p.values.output) {
    try {
      await writeFile(resolve(io.cwd, p.values.output as string), json);
    } catch (err) {
      throw new CliError(`cannot write ${String(p.values.output)}: ${(err as Error).message}`, EXIT.INTERNAL);
    }
  }
  return p.values.strict ? strictExitCode(report.overall) : 0;
}
