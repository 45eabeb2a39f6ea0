/**
 * The reviewed library patches under patches/, applied to the sources esbuild bundles
 * (scripts/bundle.mjs) instead of to node_modules, which stays exactly what `npm ci` installed.
 *
 * A patch is a git-style unified diff named as patch-package names them: `<name>+<version>.patch`
 * (`@scope+name+version.patch` for a scoped package), its paths `node_modules/<name>/…`; text
 * before the first `diff --git` is the reviewer's header and is ignored. Application is strict,
 * and every failure stops the build with the patch, file and line:
 * - each hunk must match at the line it names, context and removed lines exactly (no fuzz, no
 *   offset search);
 * - the bundled package's version must be the one in the patch's name;
 * - a file the patch creates must not exist already;
 * - every file the patch touches must have been bundled (`check()` after the build).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** `ink+6.8.0.patch` → { name: 'ink', version: '6.8.0' }; `@a+b+1.0.0.patch` → '@a/b'. */
export function patchName(file) {
  const m = /^(.+)\+([^+]+)\.patch$/.exec(file);
  if (!m) throw new Error(`patches: ${file} is not named <package>+<version>.patch`);
  return { name: m[1].replace('+', '/'), version: m[2] };
}

/**
 * The files of one unified diff: { path (under node_modules), created, hunks }, each hunk
 * { header, oldStart, oldLines, newStart, newLines, lines } with lines as in the diff.
 */
export function parsePatch(text, label = 'patch') {
  const files = [];
  const lines = text.split('\n');
  let file;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('diff --git ')) {
      const m = /^diff --git a\/(\S+) b\/(\S+)$/.exec(line);
      if (!m || m[1] !== m[2]) throw new Error(`${label}: unsupported header (renames are not): ${line}`);
      file = { path: stripNodeModules(m[2], label), created: false, hunks: [] };
      files.push(file);
      continue;
    }
    if (!file) continue; // the reviewer's header
    if (line === '--- /dev/null') file.created = true;
    else if (line === '+++ /dev/null' || line.startsWith('deleted file mode')) throw new Error(`${label}: deleting ${file.path} is not supported`);
    else if (line.startsWith('GIT binary patch') || line.startsWith('Binary files')) throw new Error(`${label}: binary patch of ${file.path} is not supported`);
    else if (line.startsWith('@@')) {
      const m = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
      if (!m) throw new Error(`${label}: bad hunk header in ${file.path}: ${line}`);
      const hunk = { header: m[0], oldStart: +m[1], oldLines: m[2] === undefined ? 1 : +m[2], newStart: +m[3], newLines: m[4] === undefined ? 1 : +m[4], lines: [] };
      let old = 0;
      let added = 0;
      while (old < hunk.oldLines || added < hunk.newLines) {
        const body = lines[++i];
        // The '' after the diff's final newline is its end, not an empty context line.
        if (body === undefined || (body === '' && i === lines.length - 1)) throw new Error(`${label}: hunk ${hunk.header} of ${file.path} ends early`);
        if (body.startsWith('\\')) continue; // "\ No newline at end of file"
        const kind = body === '' ? ' ' : body[0];
        if (kind === ' ') (old++, added++);
        else if (kind === '-') old++;
        else if (kind === '+') added++;
        else throw new Error(`${label}: unexpected line in hunk ${hunk.header} of ${file.path}: ${JSON.stringify(body)}`);
        hunk.lines.push(body === '' ? ' ' : body);
      }
      if (old !== hunk.oldLines || added !== hunk.newLines) throw new Error(`${label}: hunk ${hunk.header} of ${file.path} has ${old}/${added} lines`);
      file.hunks.push(hunk);
    }
  }
  if (!files.length) throw new Error(`${label}: no file in the diff`);
  return files;
}

function stripNodeModules(path, label) {
  if (!path.startsWith('node_modules/')) throw new Error(`${label}: ${path} is not under node_modules/`);
  return path.slice('node_modules/'.length);
}

/** The patched text of one file, or an error naming the first line that does not match. */
export function applyFilePatch(src, file, label = 'patch') {
  if (file.created) {
    if (src !== undefined) throw new Error(`${label}: ${file.path} already exists: the library has changed, review the patch`);
    return `${file.hunks.flatMap((h) => h.lines.map((l) => l.slice(1))).join('\n')}\n`;
  }
  const out = src.split('\n');
  let delta = 0;
  for (const hunk of file.hunks) {
    const expected = hunk.lines.filter((l) => l[0] !== '+').map((l) => l.slice(1));
    const replacement = hunk.lines.filter((l) => l[0] !== '-').map((l) => l.slice(1));
    const at = (hunk.oldLines === 0 ? hunk.oldStart : hunk.oldStart - 1) + delta;
    for (let k = 0; k < expected.length; k++) {
      if (out[at + k] !== expected[k]) {
        throw new Error(
          `${label}: hunk ${hunk.header} of ${file.path} does not apply: line ${at + k + 1 - delta} is ` +
            `${JSON.stringify(out[at + k] ?? '<end of file>')}, the patch expects ${JSON.stringify(expected[k])}. ` +
            'The library has changed: review the patch against it (and rename it for the new version).',
        );
      }
    }
    out.splice(at, expected.length, ...replacement);
    delta += replacement.length - expected.length;
  }
  return out.join('\n');
}

/** Every patch under `dir`: { file, name, version, files }. */
export function loadPatches(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.patch'))
    .sort()
    .map((file) => ({ file, ...patchName(file), files: parsePatch(readFileSync(join(dir, file), 'utf8'), `patches/${file}`) }));
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const fileFilter = (path) => new RegExp(`[\\\\/]node_modules[\\\\/]${path.split('/').map(escape).join('[\\\\/]')}$`);
const normal = (p) => p.replace(/\\/g, '/');

/**
 * An esbuild plugin that applies `patches` to the files it loads, and `check()`, which throws
 * unless every file of every patch was bundled. `applied` lists what was patched, for the log.
 */
export function patchesPlugin(patches) {
  const applied = new Set();
  const plugin = {
    name: 'reviewed-patches',
    setup(b) {
      for (const patch of patches) {
        const label = `patches/${patch.file}`;
        for (const file of patch.files) {
          const filter = fileFilter(file.path);
          if (file.created) {
            // Imported by the patched files with a relative path; it exists in no package.
            const base = file.path.split('/').pop();
            b.onResolve({ filter: new RegExp(`^\\.{1,2}/(?:.*/)?${escape(base)}$`) }, (args) => {
              const full = normal(join(args.resolveDir, args.path));
              return filter.test(full) ? { path: join(args.resolveDir, args.path) } : undefined;
            });
          }
          b.onLoad({ filter }, (args) => {
            const path = normal(args.path);
            const root = path.slice(0, path.length - file.path.length + patch.name.length);
            const { version } = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));
            if (version !== patch.version) {
              throw new Error(`${label} is for ${patch.name} ${patch.version}, but ${patch.name} ${version} is installed (${root}): review the patch against it and rename it`);
            }
            const src = existsSync(args.path) ? readFileSync(args.path, 'utf8') : undefined;
            const contents = applyFilePatch(src, file, label);
            applied.add(`${patch.file}: ${file.path}`);
            return { contents, loader: 'js', resolveDir: dirname(args.path) };
          });
        }
      }
    },
  };
  const check = () => {
    const missing = patches.flatMap((p) => p.files.map((f) => `${p.file}: ${f.path}`)).filter((k) => !applied.has(k));
    if (missing.length) throw new Error(`bundle: patched files not bundled (did a dependency move them?): ${missing.join(', ')}`);
  };
  return { plugin, check, applied };
}
