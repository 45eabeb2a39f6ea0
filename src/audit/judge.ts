/**
 * The one judge of authority (SPEC §10.0), pure. With room.allowed_signers set, a line that
 * records an act of authority (sign-off, waiver, decision, checkpoint ack, override request or
 * approval, invalidation) counts only when its SSHSIG verifies, as `ssh-keygen -Y verify -n
 * warroom` would, under a key the file lists for the line's actor, whichever file or console it
 * came from, this console's own lines included. A copy recorded from another console carries
 * the original signed line (`remote_line`): the original is what is judged, and it is the act.
 *
 * Without allowed_signers nothing is attributable: lines are judged as before (chain, roles,
 * age) and every reader says plainly that they are unsigned.
 *
 * `check`, the console, `audit verify`, `report` and the override count all call this.
 */
import { signedMessage } from './chain.js';
import { fingerprint, signatureKey, signerRefusal, type AllowedSigner } from './sshsig.js';
import type { LedgerLine } from './types.js';

/** The line types that carry authority: only a valid signature makes them count in a signed room. */
export const AUTHORITY_TYPES: ReadonlySet<string> = new Set(['signoff', 'waiver', 'decision', 'checkpoint.ack', 'override.request', 'override.approve', 'invalidate']);

/** What `check` and `report` say when no allowed_signers is configured, for the place the lines were read from. */
export function unsignedNotice(where = 'the audit dir'): string {
  return `unsigned: anyone who can write ${where} could have written these lines`;
}
export const UNSIGNED_NOTICE = unsignedNotice();
/** What `report` says when allowed_signers is configured. */
export const SIGNED_NOTICE = 'signed: only acts signed by a key allowed_signers lists for their actor count';

export interface SignerRules {
  /** From room.allowed_signers; undefined when not configured (then nothing is attributable). */
  signers?: readonly AllowedSigner[];
  /** ms: valid-after / valid-before are judged at this time. */
  now: number;
}

/** Only signatures decide: room.allowed_signers is configured (even when it lists no usable key). */
export function signedRoom(rules: Pick<SignerRules, 'signers'>): boolean {
  return rules.signers !== undefined;
}

type Content = Record<string, unknown> & { actor?: unknown; type?: unknown; sig?: unknown; hash?: unknown };

/** A recorded copy's original line, or undefined when the line is its own original. */
export function originalOf(line: object): Content | undefined {
  const r = (line as { remote_line?: unknown }).remote_line;
  return r !== undefined ? (r && typeof r === 'object' ? (r as Content) : {}) : undefined;
}

/**
 * The act a line records, by the hash of the original signed line: a console's own line and
 * every copy other consoles recorded of it name the same act.
 */
export function actHash(line: LedgerLine): string {
  const o = originalOf(line);
  return o && typeof o.hash === 'string' ? o.hash : line.hash;
}

export type Verdict = { ok: true; key?: string } | { ok: false; why: string };

// Ed25519 verification is the cost; its result depends only on the line's bytes, so it is
// kept per line object (ledger lines are frozen; a re-read file makes new objects).
const cryptoCache = new WeakMap<object, { ok: true; publicBlob: Buffer } | { ok: false; why: string }>();

function madeBy(content: Content): { ok: true; publicBlob: Buffer } | { ok: false; why: string } {
  const hit = cryptoCache.get(content);
  if (hit) return hit;
  let r: { ok: true; publicBlob: Buffer } | { ok: false; why: string };
  if (typeof content.sig !== 'string') r = { ok: false, why: 'unsigned' };
  else {
    try {
      r = signatureKey(signedMessage(content), content.sig);
    } catch {
      r = { ok: false, why: 'the line cannot be canonicalised' };
    }
  }
  cryptoCache.set(content, r);
  return r;
}

/**
 * Whether a (possibly relayed) line's signature makes it its actor's act, and by which key.
 * In a room without allowed_signers: every own line passes (unattributed, `key` absent); a
 * copy relayed from another console never does, as nothing can check it.
 */
export function judgeSigned(content: object, rules: SignerRules): Verdict {
  const c = content as Content;
  if (!signedRoom(rules)) return { ok: true };
  if (typeof c.actor !== 'string') return { ok: false, why: 'names no actor' };
  const made = madeBy(c);
  if (!made.ok) return made;
  const refused = signerRefusal(made.publicBlob, c.actor, 'warroom', rules.signers!, rules.now);
  return refused ? { ok: false, why: refused } : { ok: true, key: keyName(made.publicBlob) };
}

const fingerprints = new WeakMap<Buffer, string>();
function keyName(blob: Buffer): string {
  let f = fingerprints.get(blob);
  if (f === undefined) fingerprints.set(blob, (f = fingerprint(blob)));
  return f;
}

/**
 * The one rule for a ledger line: does it carry its actor's authority? Lines of other types
 * (actions, triggers, notes) record what happened, not a right; they always pass.
 */
export function judgeLine(line: LedgerLine, rules: SignerRules): Verdict {
  if (!AUTHORITY_TYPES.has(line.type)) return { ok: true };
  const orig = originalOf(line);
  if (!orig) return judgeSigned(line, rules);
  if (orig.type !== line.type || orig.actor !== line.actor) return { ok: false, why: 'the recorded copy differs from the signed line it carries' };
  if (!signedRoom(rules)) return { ok: false, why: 'no room.allowed_signers configured to check its signature' };
  return judgeSigned(orig, rules);
}

/** `ledger-ops.jsonl:1 signoff by bob` */
export function claimText(file: string, lineNo: number, line: LedgerLine): string {
  return `${file}:${lineNo} ${line.type} by ${String(line.actor)}`;
}
