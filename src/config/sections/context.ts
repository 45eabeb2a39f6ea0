/** What every config section builder shares: the raw file, where it is, and the problem list. */
import type { z } from 'zod';
import type { Path } from '../interpolate.js';
import { translate, type BuildProblem } from '../problemText.js';
import { KNOWN_KEYS } from '../schema.js';

export interface BuildContext {
  raw: Record<string, unknown>;
  where: { file: string; baseDir: string };
  problems: BuildProblem[];
  add(path: Path, message: string): void;
  /** A problem pointing at the key itself. */
  addKey(path: Path, message: string): void;
  /** The schema's output, or undefined with its issues added as problems under `base`. */
  parseAt<T extends z.ZodType>(schema: T, value: unknown, base: Path): z.output<T> | undefined;
  /** The top-level section, or undefined when absent or null. */
  section(key: string): unknown;
}

export function createContext(raw: Record<string, unknown>, where: { file: string; baseDir: string }): BuildContext {
  const problems: BuildProblem[] = [];
  return {
    raw,
    where,
    problems,
    add: (path, message) => problems.push({ path, message }),
    addKey: (path, message) => problems.push({ path, message, atKey: true }),
    parseAt: (schema, value, base) => {
      const r = schema.safeParse(value);
      if (r.success) return r.data;
      for (const issue of r.error.issues) problems.push(...translate(issue, value, base, KNOWN_KEYS));
      return undefined;
    },
    section: (key) => (raw[key] === undefined || raw[key] === null ? undefined : raw[key]),
  };
}
