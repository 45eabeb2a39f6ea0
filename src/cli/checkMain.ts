/**
 * The entry of `check`'s own bundle (dist/src/cli/check.bundle.cjs), which bin/warroom.js runs
 * through V8's code cache (cachedBundle.ts). It holds `check` and what a one-shot check reads,
 * not Ink, the console, `--watch` or the other commands: for any of those it answers undefined
 * and the binary runs the main entry instead.
 */
import { dispatch } from './dispatch.js';
import { processIo, type CliIo } from './io.js';
import { checkCommand } from '../commands/checkCommand.js';

let checked = false;

export async function main(argv: string[], io: CliIo = processIo()): Promise<number | undefined> {
  return dispatch(argv, io, (p) =>
    p.command === 'check' && !p.values.watch
      ? async (parsed, cio) => {
          const code = await checkCommand(parsed, cio);
          checked = true;
          return code;
        }
      : undefined,
  );
}

/** Whether this process ran a check to its verdict: only such a run's compiled code is worth keeping. */
export function ranCheck(): boolean {
  return checked;
}
