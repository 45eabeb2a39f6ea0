/** `warroom replay FILE [--speed N]`: a recorded window played back in the console, read-only. */
import { resolve } from 'node:path';
import { numberFlag, type Parsed } from '../cli/args.js';
import { CliError, EXIT } from '../cli/exit.js';
import type { CliIo } from '../cli/io.js';
import { readRecording } from '../session/recording.js';
import { Replayer } from '../session/replayer.js';
import { requireTty, showConsole, themeFrom } from './console.js';
import { replayKey } from '../input/replayKeys.js';
import { splitKeys } from '../input/keySplit.js';
import { setNotice } from '../store/store.js';

export async function replayCommand(p: Parsed, io: CliIo): Promise<number> {
  const speed = numberFlag(p.values, 'speed', { min: 0.1, max: 100_000 }) ?? 1;
  const file = resolve(io.cwd, p.positionals[0]!);
  let rec;
  try {
    rec = await readRecording(file);
  } catch (err) {
    throw new CliError(`cannot replay ${file}: ${(err as Error).message}`, EXIT.USAGE);
  }
  requireTty();
  const r = new Replayer(rec.config, rec.lines, speed);
  if (rec.skipped) setNotice(r.store, `${rec.skipped} unreadable line(s) skipped`, 'warn');
  r.start();
  try {
    await showConsole({ store: r.store, theme: themeFrom(p, io.env), onInput: (chunk) => splitKeys(chunk).some((k) => replayKey(r.store, k.input, k.key)) }, io);
  } finally {
    r.stop();
  }
  return 0;
}
