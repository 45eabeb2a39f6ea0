/** Entry point behind bin/warroom.js: parses the command line and dispatches. */
import { writeFile } from 'node:fs/promises';
import { parseCommandLine, usage, type Parsed } from './args.js';
import { CliError, EXIT } from './exit.js';
import { loadConfigOrFail, processIo, type CliIo } from './io.js';
import { systemClock } from '../core/clock.js';
import { version } from '../core/version.js';
import { formatJson, formatText } from '../commands/checkFormat.js';
import { runCheck, strictExitCode } from '../commands/check.js';
import { stripControl } from '../util/sanitize.js';
import { readAuthority } from '../audit/readAuthority.js';
import { makeRedactor, redactDeep, shortSecretWarning } from '../util/redactor.js';
import { resolve } from 'node:path';

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

type Handler = (p: Parsed, io: CliIo) => Promise<number>;

const handlers: Record<string, Handler> = {
  async check(p, io) {
    if (p.values.watch && p.values.dir !== undefined) throw new CliError('--dir goes without --watch (the watch reads audit.dir)', EXIT.USAGE);
    if (p.values.watch && p.values.room) throw new CliError('--room reads the room once: use it without --watch', EXIT.USAGE);
    if (p.values.watch) return (await import('../commands/checkWatch.js')).watchCommand(p, io);
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
  },
  async validate(p, io) {
    const config = await loadConfigOrFail(p.values.config as string | undefined, io);
    warnShortSecrets(config, io);
    io.stdout.write(
      `${config.file}: valid — ${config.gates.length} gates, ${Object.keys(config.sources).length} sources, deployment ${config.deployment.name} (${config.deployment.environment})\n`,
    );
    return 0;
  },
  async audit(p, io) {
    return (await import('../commands/audit.js')).auditCommand(p, io);
  },
  async report(p, io) {
    return (await import('../commands/report.js')).reportCommand(p, io);
  },
  async announce(p, io) {
    return (await import('../commands/announce.js')).announceCommand(p, io);
  },
  async sim(p, io) {
    return (await import('../commands/sim.js')).simCommand(p, io);
  },
  async console(p, io) {
    return (await import('../commands/console.js')).consoleCommand(p, io);
  },
  async demo(p, io) {
    return (await import('../commands/console.js')).demoCommand(p, io);
  },
  async replay(p, io) {
    return (await import('../commands/replay.js')).replayCommand(p, io);
  },
};

function warnShortSecrets(config: { shortSecretNames?: string[] }, io: CliIo): void {
  const w = shortSecretWarning(config.shortSecretNames ?? []);
  if (w) io.stderr.write(`warning: ${w}\n`);
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  try {
    const parsed = parseCommandLine(argv);
    if ('help' in parsed) {
      io.stdout.write(usage() + '\n');
      return 0;
    }
    if ('version' in parsed) {
      io.stdout.write(`warroom ${version()}\n`);
      return 0;
    }
    return await handlers[parsed.command]!(parsed, io);
  } catch (err) {
    if (err instanceof CliError) {
      io.stderr.write(`warroom: ${err.message}\n`);
      return err.exitCode;
    }
    io.stderr.write(`warroom: internal failure: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return EXIT.INTERNAL;
  }
}
