// Files over 400 lines and functions over 100 lines (TypeScript's parser): `node scripts/limits.mjs [dirs…]` (default src).
import ts from 'typescript';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
const files = [];
const walk = (d) => { for (const e of readdirSync(d)) { const p = join(d, e); if (statSync(p).isDirectory()) walk(p); else if (/\.tsx?$/.test(e)) files.push(p); } };
for (const d of process.argv.slice(2).length ? process.argv.slice(2) : ['src']) walk(d);
for (const f of files) {
  const text = readFileSync(f, 'utf8');
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  if (lines > 400) console.log(`FILE ${f}: ${lines} lines`);
  const sf = ts.createSourceFile(f, text, ts.ScriptTarget.Latest, true);
  const visit = (n) => {
    if (ts.isFunctionLike(n) && n.body) {
      const a = sf.getLineAndCharacterOfPosition(n.getStart()).line, b = sf.getLineAndCharacterOfPosition(n.end).line;
      if (b - a + 1 > 100) {
        const name = n.name?.getText?.() ?? (ts.isVariableDeclaration(n.parent) ? n.parent.name.getText() : ts.isPropertyAssignment(n.parent) ? n.parent.name.getText() : '(anonymous)');
        console.log(`FUNC ${f}:${a + 1} ${name}: ${b - a + 1} lines`);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
}
