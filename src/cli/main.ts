/** Entry point behind bin/warroom.js: parses the command line and dispatches. */
import { parseCommandLine, usage, type Parsed } from './args.js';
import { CliError, EXIT } from './exit.js';
import { processIo, type CliIo } from './io.js';
import { importInkGraph } from './inkImport.js';
import { version } from '../core/version.js';
import { checkCommand } from '../commands/checkCommand.js';
import { validateCommand } from '../commands/validate.js';

type Handler = (p: Parsed, io: CliIo) => Promise<number>;

const handlers: Record<string, Handler> = {
  check: (p, io) => checkCommand(p, io),
  validate: (p, io) => validateCommand(p, io),
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
    return (await importInkGraph(() => import('../commands/console.js'))).consoleCommand(p, io);
  },
  async demo(p, io) {
    return (await importInkGraph(() => import('../commands/console.js'))).demoCommand(p, io);
  },
  async replay(p, io) {
    return (await importInkGraph(() => import('../commands/replay.js'))).replayCommand(p, io);
  },
};

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
