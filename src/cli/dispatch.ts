/** Parses the command line and runs its command's handler: the one loop behind both entries (main.ts, checkMain.ts). */
import { parseCommandLine, usage, type Parsed } from './args.js';
import { CliError, EXIT } from './exit.js';
import type { CliIo } from './io.js';
import { version } from '../core/version.js';

export type Handler = (p: Parsed, io: CliIo) => Promise<number>;

/** The exit code, or undefined when `handlerFor` has no handler for the command (another entry runs it). */
export async function dispatch(argv: string[], io: CliIo, handlerFor: (p: Parsed) => Handler | undefined): Promise<number | undefined> {
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
    const handler = handlerFor(parsed);
    return handler ? await handler(parsed, io) : undefined;
  } catch (err) {
    if (err instanceof CliError) {
      io.stderr.write(`warroom: ${err.message}\n`);
      return err.exitCode;
    }
    io.stderr.write(`warroom: internal failure: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return EXIT.INTERNAL;
  }
}
