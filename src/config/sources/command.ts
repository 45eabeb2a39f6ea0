/** `type: command`: a program's exit code and first number (adapter: src/sources/command.ts). */
import { resolve } from 'node:path';
import * as z from '../z.js';
import { argv, nonEmpty } from '../schemaParts.js';
import { common, onlySelector, S, type SourceBase, type SourceTypeDef } from './types.js';

const schema = z.strictObject({ type: z.literal('command'), argv, cwd: nonEmpty.optional(), ...common });

export interface CommandSource extends SourceBase<'command'> {
  argv: string[];
  cwd?: string;
}

export const command: SourceTypeDef<'command', z.output<typeof schema>, CommandSource> = {
  type: 'command',
  schema,
  defaults: { interval: 5 * 60 * S, timeout: 60 * S },
  normalize: (id, s, baseDir) => {
    const interval = s.interval ?? command.defaults.interval;
    const c: CommandSource = { id, type: 'command', argv: s.argv, interval, timeout: s.timeout ?? command.defaults.timeout, staleAfter: s.stale_after ?? 3 * interval };
    if (s.cwd !== undefined) c.cwd = resolve(baseDir, s.cwd);
    return c;
  },
  selector: (src, sel, p, add) => (onlySelector(src, sel, p, add, undefined, 'the value is the exit code and first number on stdout') ? {} : undefined),
};
