/**
 * loadConfig: warroom.yaml text → normalized Config, or every problem at once, each with its
 * YAML path and line. Steps: YAML parse (with positions) → ${ENV} substitution → section
 * validation and cross-checks (build.ts) → paths mapped back to lines.
 * With `trees`, the parse of a text that loaded cleanly before is taken from there instead
 * (the parse is most of a large config's load); substitution and validation run every time,
 * and a problem sends the text through the parse again, for its lines.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { MIN_SECRET_LENGTH, redact } from '../util/redact.js';
import { buildConfig, type BuildProblem } from './build.js';
import { interpolateTree, type Env, type Path } from './interpolate.js';
import { formatPath } from './problems.js';
import { natsSecrets } from './sections/roomNats.js';
import type { Config, ConfigProblem, NotifySinkConfig } from './types.js';

export { formatProblems } from './problems.js';

export type LoadResult = { ok: true; config: Config } | { ok: false; problems: ConfigProblem[] };

/** Parsed trees of texts that loaded cleanly, by their exact text (src/cli/configTrees.ts). */
export interface ParsedTrees {
  get(text: string): unknown;
  put(text: string, tree: unknown): void;
}

/** Larger than any real war-room config; refusing early keeps hostile input cheap. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

const fail = (message: string, line?: number): LoadResult => ({ ok: false, problems: [line === undefined ? { path: '', message } : { path: '', line, message }] });

export function loadConfigText(text: string, opts: { file: string; env: Env; trees?: ParsedTrees }): LoadResult {
  const file = resolve(opts.file);
  if (text.length > MAX_CONFIG_BYTES) return fail(`file is too large (${text.length} characters; the limit is ${MAX_CONFIG_BYTES})`);
  const nul = text.indexOf('\u0000');
  if (nul >= 0) return fail('file contains NUL bytes: it looks binary, not YAML', lineAt(text, nul));
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const known = opts.trees?.get(text);
  if (known !== undefined) {
    const r = fromTree(known, file, opts.env);
    if (r.ok) return r;
  }
  const deep = tooDeep(text);
  if (deep) return fail(deep.message, deep.line);

  const lc = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, merge: true, uniqueKeys: true });
  } catch (e) {
    return fail(`not readable as YAML: ${e instanceof Error ? e.message : String(e)}`);
  }
  const line = (offset: number) => lc.linePos(offset).line;

  const problems: ConfigProblem[] = [];
  let fatal = false;
  for (const e of doc.errors) {
    // Duplicate keys leave a usable document: keep validating so all problems show at once.
    if (e.code !== 'DUPLICATE_KEY') fatal = true;
    const path = formatPath(pathAtOffset(doc, e.pos[0]));
    const message = /call stack/i.test(e.message) ? 'nesting is too deep to read' : e.code === 'DUPLICATE_KEY' ? 'duplicate key: this key is already set earlier in the same mapping' : `YAML syntax: ${e.message.split('\n')[0]}`;
    problems.push({ path, line: line(e.pos[0]), message });
  }
  if (fatal) return { ok: false, problems: sortProblems(problems) };

  let rawTree: unknown;
  try {
    rawTree = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return fail(`YAML could not be expanded: ${e instanceof Error ? e.message : String(e)}`);
  }
  const r = fromTree(rawTree, file, opts.env, { doc, line, problems });
  if (r.ok) opts.trees?.put(text, rawTree);
  return r;
}

/**
 * ${ENV} substitution, validation and the config's secrets, from the parsed tree. Without `at`
 * (a tree from `trees`), the problems have no lines: the caller parses again when there are any.
 */
function fromTree(rawTree: unknown, file: string, env: Env, at?: { doc: Document.Parsed; line: (offset: number) => number; problems: ConfigProblem[] }): LoadResult {
  const interp = interpolateTree(rawTree, env);
  const secrets = [...new Set(interp.secrets.filter((s) => s !== ''))];
  const substituted = new Set(interp.substituted.map((p) => formatPath(p)));
  const found: BuildProblem[] = [...interp.problems];
  const built = buildConfig(interp.value, { file, baseDir: dirname(file) });
  found.push(...built.problems);

  const problems = at?.problems ?? [];
  for (const p of found) {
    const path = formatPath(p.path);
    const prob: ConfigProblem = { path, message: hideSecrets(p.message, path, substituted, secrets) };
    if (at) {
      const node = findNode(at.doc, p.path, p.atKey ?? false);
      if (node?.range) prob.line = at.line(node.range[0]);
      else if (p.path.length === 0 && at.doc.contents?.range) prob.line = at.line(at.doc.contents.range[0]);
    }
    problems.push(prob);
  }

  if (problems.length || !built.config) return { ok: false, problems: sortProblems(dedupe(problems)) };
  // A Slack/Teams webhook's path is its credential even when written inline; a routing key is one too.
  built.config.secrets = [...new Set([...secrets, ...notifySecrets(built.config.notify ?? []), ...natsSecrets(built.config.room.nats)])];
  if (interp.masks.length) built.config.secretMasks = interp.masks;
  const short = interp.used.filter((u) => u.length > 0 && u.length < MIN_SECRET_LENGTH).map((u) => u.name);
  if (short.length) built.config.shortSecretNames = [...new Set(short)].sort();
  return { ok: true, config: built.config };
}

function notifySecrets(sinks: readonly NotifySinkConfig[]): string[] {
  const out: string[] = [];
  for (const s of sinks) {
    if (s.routingKey) out.push(s.routingKey);
    if (s.type === 'slack' || s.type === 'teams') {
      const u = new URL(s.url);
      out.push(s.url);
      if (u.pathname.length > 1) out.push(u.pathname + u.search);
    }
  }
  return out;
}

export async function loadConfigFile(file: string, env: Env = process.env, trees?: ParsedTrees): Promise<LoadResult> {
  const abs = resolve(file);
  let buf: Buffer;
  try {
    const st = await stat(abs);
    if (st.isDirectory()) return fail(`${abs} is a directory, not a config file`);
    if (st.size > MAX_CONFIG_BYTES) return fail(`file is too large (${st.size} bytes; the limit is ${MAX_CONFIG_BYTES})`);
    buf = await readFile(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return fail(`config file not found: ${abs} (give --config FILE or set $WARROOM_CONFIG)`);
    if (code === 'EACCES' || code === 'EPERM') return fail(`cannot read ${abs}: permission denied`);
    return fail(`cannot read ${abs}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (buf.length > MAX_CONFIG_BYTES) return fail(`file is too large (${buf.length} bytes; the limit is ${MAX_CONFIG_BYTES})`);
  const nul = buf.indexOf(0);
  if (nul >= 0) return fail('file contains NUL bytes: it looks binary, not YAML', lineAt(buf.subarray(0, nul).toString('latin1'), nul));
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return fail('file is not valid UTF-8 text');
  }
  return loadConfigText(text, trees ? { file: abs, env, trees } : { file: abs, env });
}

/**
 * The YAML parser recurses per nesting level; refuse absurd nesting up front (a real config
 * is a handful of levels deep) instead of spending seconds to overflow the stack.
 */
export const MAX_NESTING = 64;
const MAX_INDENT = 512;
function tooDeep(text: string): { message: string; line: number } | undefined {
  let depth = 0;
  let line = 1;
  let indent = 0;
  let atLineStart = true;
  let quote = '';
  let comment = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n') {
      line++;
      indent = 0;
      atLineStart = true;
      comment = false;
      continue;
    }
    if (atLineStart) {
      if (ch === ' ') {
        if (++indent > MAX_INDENT) return { message: `indented more than ${MAX_INDENT} columns: nesting is too deep`, line };
        continue;
      }
      atLineStart = false;
    }
    if (comment) continue;
    if (quote) {
      if (ch === quote) quote = '';
      else if (ch === '\\' && quote === '"') i++;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#') comment = true;
    else if (ch === '[' || ch === '{') {
      if (++depth > MAX_NESTING) return { message: `nesting is deeper than ${MAX_NESTING} levels`, line };
    } else if ((ch === ']' || ch === '}') && depth > 0) depth--;
  }
  return undefined;
}

function lineAt(text: string, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/**
 * The YAML node at `path`, or the deepest existing ancestor (a missing key is reported on
 * its parent's line). With `atKey`, the key node of the last segment.
 */
function findNode(doc: Document.Parsed, path: Path, atKey: boolean): YamlNode | undefined {
  let node: unknown = doc.contents;
  let last: YamlNode | undefined = isNodeWithRange(node) ? node : undefined;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    if (isAlias(node)) node = node.resolve(doc);
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((it) => isPair(it) && keyString(it.key) === String(seg));
      if (!pair) return last;
      if (atKey && i === path.length - 1 && isNodeWithRange(pair.key)) return pair.key;
      next = pair.value ?? pair.key; // `key:` with no value: point at the key
    } else if (isSeq(node) && typeof seg === 'number') {
      next = node.items[seg];
    } else return last;
    if (!isNodeWithRange(next)) return last;
    node = next;
    last = next;
  }
  return last;
}

function keyString(k: unknown): string | undefined {
  if (isScalar(k)) return String(k.value);
  return undefined;
}

function isNodeWithRange(n: unknown): n is YamlNode {
  return typeof n === 'object' && n !== null && 'range' in n && Array.isArray((n as YamlNode).range);
}

/** The YAML path of the innermost node containing `offset`, for syntax errors. */
function pathAtOffset(doc: Document.Parsed, offset: number): Path {
  const path: Path = [];
  let node: unknown = doc.contents;
  for (let depth = 0; depth < 100; depth++) {
    let moved = false;
    if (isMap(node)) {
      for (const it of node.items) {
        const k = it.key as YamlNode | null;
        const v = it.value as YamlNode | null;
        const start = k?.range?.[0] ?? v?.range?.[0];
        const end = v?.range?.[2] ?? k?.range?.[2];
        if (start !== undefined && end !== undefined && offset >= start && offset < end) {
          const ks = keyString(k);
          if (ks === undefined) return path;
          path.push(ks);
          node = v;
          moved = true;
          break;
        }
      }
    } else if (isSeq(node)) {
      for (let i = 0; i < node.items.length; i++) {
        const r = (node.items[i] as YamlNode | null)?.range;
        if (r && offset >= r[0] && offset < r[2]) {
          path.push(i);
          node = node.items[i];
          moved = true;
          break;
        }
      }
    }
    if (!moved) break;
  }
  return path;
}

/**
 * A message about a value that came from the environment must not show it. Messages at a
 * substituted path are scrubbed of every secret; elsewhere only of secrets long enough that
 * a match is not a coincidence with ordinary words.
 */
function hideSecrets(message: string, path: string, substituted: Set<string>, secrets: string[]): string {
  if (!secrets.length) return message;
  const mine = [...substituted].some((s) => s === path || path.startsWith(`${s}.`) || path.startsWith(`${s}[`) || s.startsWith(`${path}.`) || s.startsWith(`${path}[`));
  return redact(message, secrets, mine ? 1 : MIN_SECRET_LENGTH);
}

function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.path}\u0000${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function sortProblems(problems: ConfigProblem[]): ConfigProblem[] {
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.line ?? Infinity) - (b.p.line ?? Infinity) || a.i - b.i)
    .map((x) => x.p);
}
