import { describe, it, expect } from 'vitest';
import { chainEntry, hashEntry, splitLines, verifyChain } from '../../src/audit/chain.js';
import { GENESIS_HASH, LEDGER_SCHEMA, type LedgerBody, type LedgerLine } from '../../src/audit/types.js';

function body(seq: number, text = `note ${seq}`): LedgerBody {
  return {
    schema: LEDGER_SCHEMA,
    seq,
    ts: new Date(Date.UTC(2026, 10, 23, 14, 0, seq)).toISOString(),
    type: 'note',
    actor: 'alice',
    deployment: 'rl-policy-v42',
    environment: 'production',
    text,
  };
}

function build(n: number): LedgerLine[] {
  const out: LedgerLine[] = [];
  for (let i = 1; i <= n; i++) out.push(chainEntry(out[i - 2]?.hash ?? null, body(i)));
  return out;
}

const toRaw = (ls: (LedgerLine | string)[]) =>
  ls.map((l, i) => ({ lineNo: i + 1, text: typeof l === 'string' ? l : JSON.stringify(l) }));

describe('chainEntry / hashEntry', () => {
  it('chains from the genesis hash and then from the previous hash', () => {
    const [a, b] = build(2);
    expect(a!.prev_hash).toBe(GENESIS_HASH);
    expect(b!.prev_hash).toBe(a!.hash);
    expect(a!.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(hashEntry(a!)).toBe(a!.hash);
  });
  it('records non-finite trigger values as null instead of throwing', () => {
    const l = chainEntry(null, { ...body(1), type: 'trigger', phase: 'raised', gate: 'g', mode: 'auto', value: NaN, threshold: '>= 1' } as LedgerBody);
    expect((l as { value: unknown }).value).toBeNull();
    expect(verifyChain(toRaw([l]))).toEqual({ ok: true, count: 1 });
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain and an empty one', () => {
    expect(verifyChain(toRaw(build(5)))).toEqual({ ok: true, count: 5 });
    expect(verifyChain([])).toEqual({ ok: true, count: 0 });
  });
  it('catches an edited line and names it', () => {
    const ls = build(5);
    const edited = { ...ls[2]!, text: 'nothing to see' };
    const r = verifyChain(toRaw([ls[0]!, ls[1]!, edited, ls[3]!, ls[4]!]));
    expect(r).toEqual({ ok: false, line: 3, reason: 'hash mismatch (line edited)' });
  });
  it('catches a removed line and says which seq is missing', () => {
    const ls = build(5);
    const r = verifyChain(toRaw([ls[0]!, ls[1]!, ls[3]!, ls[4]!]));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.line).toBe(3);
      expect(r.reason).toMatch(/prev_hash mismatch \(line removed.*seq 3 missing/);
    }
  });
  it('catches a removed first line', () => {
    const ls = build(3);
    const r = verifyChain(toRaw([ls[1]!, ls[2]!]));
    expect(r).toMatchObject({ ok: false, line: 1 });
    if (!r.ok) expect(r.reason).toMatch(/seq 1 missing/);
  });
  it('catches two swapped lines at the first of them', () => {
    const ls = build(5);
    const r = verifyChain(toRaw([ls[0]!, ls[2]!, ls[1]!, ls[3]!, ls[4]!]));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.line).toBe(2);
      expect(r.reason).toMatch(/reordered: seq 3 comes before seq 2 at line 3/);
    }
  });
  it('catches a truncated last line', () => {
    const ls = build(3);
    const full = JSON.stringify(ls[2]);
    const r = verifyChain(toRaw([ls[0]!, ls[1]!, full.slice(0, full.length - 20)]));
    expect(r).toEqual({ ok: false, line: 3, reason: 'unparsable JSON (truncated last line)' });
  });
  it('catches unparsable JSON in the middle and a non-consecutive seq', () => {
    const ls = build(3);
    expect(verifyChain(toRaw([ls[0]!, 'garbage', ls[1]!]))).toEqual({ ok: false, line: 2, reason: 'unparsable JSON' });
    // A forger who rebuilds the chain still cannot skip seq numbers unnoticed.
    const a = chainEntry(null, body(1));
    const b = chainEntry(a.hash, body(3));
    const r = verifyChain(toRaw([a, b]));
    expect(r).toMatchObject({ ok: false, line: 2 });
    if (!r.ok) expect(r.reason).toMatch(/seq not consecutive/);
  });
  it('catches a line whose hash was recomputed after an edit, at the next line', () => {
    const ls = build(4);
    const forged = chainEntry(ls[0]!.hash, body(2, 'forged'));
    const r = verifyChain(toRaw([ls[0]!, forged, ls[2]!, ls[3]!]));
    expect(r).toMatchObject({ ok: false, line: 3 });
    if (!r.ok) expect(r.reason).toMatch(/does not follow line 2/);
  });
  it('splitLines numbers lines and ignores the final newline', () => {
    expect(splitLines('a\nb\n')).toEqual([{ lineNo: 1, text: 'a' }, { lineNo: 2, text: 'b' }]);
    expect(splitLines('')).toEqual([]);
    expect(splitLines('a\n\nb').map((l) => l.text)).toEqual(['a', '', 'b']);
  });
});
