/**
 * User-facing text speaks of the product, not of the contract's sections: no string literal,
 * template text or JSX text in the shipped code says "SPEC" (comments may).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const DIRS = ['src', 'views', 'hooks', 'bin'];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return files(p);
    return /\.(ts|tsx|js|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Every piece of text a user could be shown, with where it is. */
function textsWith(source: string, name: string, needle: RegExp): string[] {
  const sf = ts.createSourceFile(name, source, ts.ScriptTarget.Latest, true, name.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isStringLiteralLike(n) || ts.isTemplateLiteralToken(n) || ts.isJsxText(n)) {
      const text = ts.isJsxText(n) ? n.getText(sf) : n.text;
      if (needle.test(text)) out.push(`${name}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}: ${text.trim().slice(0, 100)}`);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

describe('user-facing text', () => {
  it('finds a SPEC reference in a string, a template and JSX, and not in comments (the check itself)', () => {
    const sample = "// SPEC §4 in a comment\nconst a = 'see SPEC §9.5';\nconst b = `x ${1} (SPEC 9.5)`;\nconst c = <Text>SPEC §4</Text>;\n/** SPEC */ const d = 'fine';";
    expect(textsWith(sample, 'x.tsx', /\bSPEC\b/)).toHaveLength(3);
  });

  it('never says "SPEC" in src/, views/, hooks/ or bin/', () => {
    const hits = DIRS.flatMap((d) => files(join(ROOT, d))).flatMap((f) => textsWith(readFileSync(f, 'utf8'), relative(ROOT, f), /\bSPEC\b/));
    expect(hits).toEqual([]);
  });
});
