/** `type: files`: validation artifacts and their history (adapter: src/sources/files.ts). */
import { resolve } from 'node:path';
import * as z from '../z.js';
import { nonEmpty } from '../schemaParts.js';
import { common, compact, onlyFor, onlySelector, S, sourceClock, type SourceBase, type SourceClock, type SourceTypeDef } from './types.js';

const schema = z.strictObject({ type: z.literal('files'), path: nonEmpty, ...common, ...sourceClock });

export interface FilesSource extends SourceBase<'files'>, SourceClock {
  path: string;
}

export const files: SourceTypeDef<'files', z.output<typeof schema>, FilesSource> = {
  type: 'files',
  schema,
  defaults: { interval: 60 * S, timeout: 5 * S },
  normalize: (id, s, baseDir) => {
    const interval = s.interval ?? files.defaults.interval;
    return compact({ id, type: 'files', path: resolve(baseDir, s.path), interval, timeout: s.timeout ?? files.defaults.timeout, staleAfter: s.stale_after ?? 3 * interval, maxClockSkew: s.max_clock_skew });
  },
  selector: (src, sel, p, add) => (onlySelector(src, sel, p, add, undefined, "the value is the newest file's age and status") ? {} : undefined),
  gateKeys: ['max_age', 'field', 'consecutive', 'no_failures_within'],
  foreignKey: onlyFor('files'),
  checkGate: ({ g, p, err }) => {
    if (!g.go && g.max_age === undefined) err([...p, 'go'], 'required: a files gate needs go (e.g. go: "== PASS") or max_age');
  },
};
