/** Entry point behind bin/warroom.js: parses the command line and dispatches. */
import { dispatch, type Handler } from './dispatch.js';
import { EXIT } from './exit.js';
import { processIo, type CliIo } from './io.js';
import { importInkGraph } from './inkImport.js';
import { checkCommand } from '../commands/checkCommand.js';
import { validateCommand } from '../commands/validate.js';

const handlers: Record<string, Handler> = {
  check: (p, io) => checkCommand(p, io, async (pw, iow) => (await import('../commands/checkWatch.js')).watchCommand(pw, iow)),
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
  return (await dispatch(argv, io, (p) => handlers[p.command])) ?? EXIT.INTERNAL;
}
