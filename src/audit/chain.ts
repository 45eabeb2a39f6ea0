/** The hash chain of the ledger (pure): building lines and finding the first bad one. */
import { canonicalJson, jsonSafe, sha256Tagged } from './canonical.js';
import { GENESIS_HASH, LEDGER_SCHEMA, type LedgerBody, type LedgerLine, type VerifyResult } from './types.js';

/** sha256 over the canonical JSON of the line object without its `hash` member. */
export function hashEntry(entryWithoutHash: object): string {
  const { hash: _drop, ...rest } = entryWithoutHash as Record<string, unknown>;
  return sha256Tagged(canonicalJson(rest));
}

/** The exact bytes a line's `sig` is over: canonical JSON without `hash` and `sig` (SPEC §9.1). */
export function signedMessage(line: object): string {
  const { hash: _h, sig: _s, ...rest } = line as Record<string, unknown>;
  return canonicalJson(rest);
}

/**
 * Chains `body` after the line whose hash is `prevHash` (null: first line). Non-finite
 * numbers become null first, so the returned line is exactly what re-reads and verifies.
 */
export function chainEntry(prevHash: string | null, body: LedgerBody): LedgerLine {
  const withPrev = jsonSafe({ ...body, prev_hash: prevHash ?? GENESIS_HASH }) as Omit<LedgerLine, 'hash'>;
  return { ...withPrev, hash: hashEntry(withPrev) } as LedgerLine;
}

export interface RawLine {
  /** 1-based line number in the file. */
  lineNo: number;
  text: string;
}

/** Splits file text into numbered lines; a final newline does not make an extra empty line. */
export function splitLines(text: string): RawLine[] {
  if (text === '') return [];
  const parts = text.split('\n');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts.map((t, i) => ({ lineNo: i + 1, text: t.endsWith('\r') ? t.slice(0, -1) : t }));
}

interface Parsed {
  lineNo: number;
  obj: Record<string, unknown>;
}

function parseLine(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Checks every line in order and names the FIRST bad one: unparsable (or truncated) JSON,
 * a hash that does not match the content (edited), a prev_hash that does not match the line
 * before (removed, reordered or replaced line), or a seq that is not consecutive.
 */
export function verifyChain(lines: readonly RawLine[]): VerifyResult {
  // Index every line's stated hash first, so a prev_hash pointing later in the file can be
  // told apart (reordered) from one pointing nowhere (removed).
  const parsed: (Parsed | undefined)[] = lines.map((l) => {
    const obj = parseLine(l.text);
    return obj ? { lineNo: l.lineNo, obj } : undefined;
  });
  const byHash = new Map<string, Parsed>();
  for (const p of parsed) if (p && typeof p.obj.hash === 'string') byHash.set(p.obj.hash, p);

  let prevHash = GENESIS_HASH;
  let prevLineNo = 0;
  let expectedSeq = 1;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const p = parsed[i];
    const isLast = i === lines.length - 1;
    if (raw.text.trim() === '') return bad(raw.lineNo, 'blank line');
    if (!p) return bad(raw.lineNo, isLast ? 'unparsable JSON (truncated last line)' : 'unparsable JSON');
    const o = p.obj;
    if (o.schema !== LEDGER_SCHEMA) return bad(raw.lineNo, `not a ${LEDGER_SCHEMA} line (schema ${JSON.stringify(o.schema ?? null)})`);
    if (typeof o.hash !== 'string' || typeof o.prev_hash !== 'string') return bad(raw.lineNo, 'missing hash or prev_hash');
    if (typeof o.seq !== 'number' || !Number.isInteger(o.seq)) return bad(raw.lineNo, 'missing or non-integer seq');
    let actual: string;
    try {
      actual = hashEntry(o);
    } catch (e) {
      return bad(raw.lineNo, `cannot hash line: ${(e as Error).message}`);
    }
    if (actual !== o.hash) return bad(raw.lineNo, 'hash mismatch (line edited)');
    if (o.prev_hash !== prevHash) return bad(raw.lineNo, prevMismatch(o, expectedSeq, prevLineNo, byHash, raw.lineNo));
    if (o.seq !== expectedSeq) return bad(raw.lineNo, `seq ${o.seq} where ${expectedSeq} was expected (seq not consecutive)`);
    prevHash = o.hash;
    prevLineNo = raw.lineNo;
    expectedSeq++;
  }
  return { ok: true, count: lines.length };
}

function prevMismatch(
  o: Record<string, unknown>,
  expectedSeq: number,
  prevLineNo: number,
  byHash: Map<string, Parsed>,
  lineNo: number,
): string {
  const seq = o.seq as number;
  const target = byHash.get(o.prev_hash as string);
  if (target && target.lineNo > lineNo) {
    return `prev_hash mismatch (lines reordered: seq ${seq} comes before seq ${String(target.obj.seq)} at line ${target.lineNo}, which it follows)`;
  }
  if (target && target.lineNo < lineNo) {
    return `prev_hash mismatch (lines reordered or duplicated: it follows line ${target.lineNo}, not line ${prevLineNo})`;
  }
  if (seq > expectedSeq) {
    const n = seq - expectedSeq;
    const missing = n === 1 ? `seq ${expectedSeq}` : `seq ${expectedSeq}..${seq - 1}`;
    return `prev_hash mismatch (line removed before this one: ${missing} missing)`;
  }
  if (seq === 1 && prevLineNo > 0) return 'prev_hash mismatch (a second chain starts here: ledger restarted or spliced)';
  return prevLineNo === 0
    ? 'prev_hash mismatch (the first line does not start the chain: earlier lines removed)'
    : `prev_hash mismatch (does not follow line ${prevLineNo}: that line was replaced or lines removed)`;
}

function bad(line: number, reason: string): VerifyResult {
  return { ok: false, line, reason };
}

/** The lines that look like ledger lines, with their line numbers, corrupt ones skipped. */
export function parseLedgerLinesNumbered(lines: readonly RawLine[]): { lineNo: number; line: LedgerLine }[] {
  const out: { lineNo: number; line: LedgerLine }[] = [];
  for (const l of lines) {
    const o = parseLine(l.text);
    if (o && o.schema === LEDGER_SCHEMA && typeof o.type === 'string' && typeof o.hash === 'string') {
      out.push({ lineNo: l.lineNo, line: o as unknown as LedgerLine });
    }
  }
  return out;
}

/** Parses the lines that look like ledger lines, skipping corrupt ones (for state and reports). */
export function parseLedgerLines(lines: readonly RawLine[]): LedgerLine[] {
  return parseLedgerLinesNumbered(lines).map((x) => x.line);
}
