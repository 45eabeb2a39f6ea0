// The house's import rules: no cycles; views import only the store, the view-model, key hints and util; nothing in
// src/config imports a module it configures. `node scripts/layers.mjs` prints every breach (none: silent, exit 0).
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
const root = process.cwd();
const files = [];
const walk = (d) => { for (const e of readdirSync(d)) { const p = join(d, e); if (statSync(p).isDirectory()) walk(p); else if (/\.(ts|tsx)$/.test(e)) files.push(p); } };
for (const d of ['src', 'views', 'hooks']) walk(join(root, d));
const g = new Map();
for (const f of files) {
  const txt = readFileSync(f, 'utf8');
  const deps = new Set();
  for (const m of txt.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const t = resolve(dirname(f), m[1]);
    const c = [t.replace(/\.js$/, '.ts'), t.replace(/\.js$/, '.tsx')].find(existsSync);
    if (c) deps.add(c);
  }
  g.set(f, deps);
}
const rel = (p) => relative(root, p);
// Tarjan
let idx = 0; const st = []; const on = new Set(); const ix = new Map(); const low = new Map(); const sccs = [];
const sc = (v) => { ix.set(v, idx); low.set(v, idx); idx++; st.push(v); on.add(v);
  for (const w of g.get(v) ?? []) { if (!ix.has(w)) { sc(w); low.set(v, Math.min(low.get(v), low.get(w))); } else if (on.has(w)) low.set(v, Math.min(low.get(v), ix.get(w))); }
  if (low.get(v) === ix.get(v)) { const c = []; let w; do { w = st.pop(); on.delete(w); c.push(w); } while (w !== v); if (c.length > 1) sccs.push(c); } };
for (const v of g.keys()) if (!ix.has(v)) sc(v);
let breaches = 0;
const say = (s) => (breaches++, console.log(s));
for (const c of sccs) say('CYCLE: ' + c.map(rel).join(' , '));
const allowedView = /^(src\/(store|viewmodel|util)\/|src\/input\/keyHints\.ts$|views\/|hooks\/)/;
for (const [f, ds] of g) if (rel(f).startsWith('views/')) for (const d of ds) if (!allowedView.test(rel(d)) ) say(`VIEW: ${rel(f)} -> ${rel(d)}`);
for (const [f, ds] of g) if (rel(f).startsWith('src/config/')) for (const d of ds) if (/^src\/(feed|sources|telemetry|actions|flows)\//.test(rel(d))) say(`CONFIG: ${rel(f)} -> ${rel(d)}`);
process.exitCode = breaches ? 1 : 0;
