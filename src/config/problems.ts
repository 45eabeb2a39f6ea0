/** How configuration problems are written for people: `file:line path: message`, one a line. */
import { isAbsolute, relative } from 'node:path';
import { oneLine } from '../util/sanitize.js';
import type { ConfigProblem } from './types.js';

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `gates[2].go`, `sources.prom.headers.Authorization`, `roles["on call"]`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (IDENT.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}


/** A path under the working directory is shown relative, as compilers do; others absolute. */
function displayFile(file: string, cwd: string): string {
  if (!isAbsolute(file)) return file;
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/**
 * One line per problem, in the order given. Messages are untrusted (they quote the file),
 * so control characters are removed and each stays on one line.
 */
export function formatProblems(problems: readonly ConfigProblem[], file: string, cwd: string = process.cwd()): string {
  const shown = oneLine(displayFile(file, cwd), 300);
  return problems
    .map((p) => {
      const where = p.line !== undefined ? `${shown}:${p.line}` : shown;
      const path = oneLine(p.path, 200);
      return `${where} ${path ? `${path}: ` : ''}${oneLine(p.message, 400)}`.replace(/ +$/, '');
    })
    .join('\n');
}
