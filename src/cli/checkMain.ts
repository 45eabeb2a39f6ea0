/**
 * The entry of the one-shot CI commands' own bundle (dist/src/cli/check.bundle.cjs): `check`
 * and `validate`, which bin/warroom.js runs through V8's code cache (cachedBundle.ts). It holds
 * what they read, not Ink, the console, `check --watch` or the other commands: for any of those
 * it answers undefined and the binary runs the main entry instead.
 */
import type { Parsed } from './args.js';
import { dispatch, type Handler } from './dispatch.js';
import { processIo, type CliIo } from './io.js';
import { checkCommand } from '../commands/checkCommand.js';
import { validateCommand } from '../commands/validate.js';

let finished = false;

/** The handler, marking the run finished once it returns (a refusal throws before). */
const toEnd =
  (h: Handler): Handler =>
  async (p, io) => {
    const code = await h(p, io);
    finished = true;
    return code;
  };

function handlerFor(p: Parsed): Handler | undefined {
  if (p.command === 'check' && !p.values.watch) return toEnd((parsed, io) => checkCommand(parsed, io));
  if (p.command === 'validate') return toEnd(validateCommand);
  return undefined;
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number | undefined> {
  return dispatch(argv, io, handlerFor);
}

/** Whether this process ran its command to the end (a verdict, a valid config): only such a run's compiled code is worth keeping. */
export function ranToEnd(): boolean {
  return finished;
}
