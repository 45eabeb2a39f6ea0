/**
 * SSHSIG (OpenSSH PROTOCOL.sshsig) for Ed25519 keys, with node:crypto only: signing with an
 * OpenSSH private key file, verifying against an `allowed_signers` file. What this writes,
 * `ssh-keygen -Y verify -n warroom` accepts (tested against the real binary), so anyone can
 * check a signed ledger line without warroom.
 */
import type { KeyObject } from 'node:crypto';
import { crypto } from '../util/nodeBuiltins.js';
import { fingerprint, parseAllowedSignersText, signerRefusal, type AllowedSigner } from './allowedSigners.js';

export const SIG_NAMESPACE = 'warroom';
const MAGIC = Buffer.from('SSHSIG');
const KEY_TYPE = 'ssh-ed25519';
const HASH_ALG = 'sha512';

export interface SigningKey {
  privateKey: KeyObject;
  /** The SSH wire blob of the public key (string type, string key). */
  publicBlob: Buffer;
  /** `ssh-ed25519 AAAA…` as it appears in allowed_signers. */
  publicLine: string;
}

export type { AllowedSigner } from './allowedSigners.js';
export { fingerprint, signerRefusal } from './allowedSigners.js';

function sshString(b: Buffer | string): Buffer {
  const body = typeof b === 'string' ? Buffer.from(b) : b;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([len, body]);
}

/** Reads SSH wire fields in order; every read is bounds-checked (untrusted input). */
class WireReader {
  private at = 0;
  constructor(private readonly buf: Buffer) {}
  u32(): number {
    if (this.at + 4 > this.buf.length) throw new Error('truncated');
    const v = this.buf.readUInt32BE(this.at);
    this.at += 4;
    return v;
  }
  bytes(): Buffer {
    const n = this.u32();
    if (this.at + n > this.buf.length) throw new Error('truncated');
    const v = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return v;
  }
  raw(n: number): Buffer {
    if (this.at + n > this.buf.length) throw new Error('truncated');
    const v = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return v;
  }
  text(): string {
    return this.bytes().toString('utf8');
  }
  done(): boolean {
    return this.at === this.buf.length;
  }
}

const b64url = (b: Buffer) => b.toString('base64url');

function ed25519Public(blob: Buffer): KeyObject {
  const r = new WireReader(blob);
  if (r.text() !== KEY_TYPE) throw new Error(`only ${KEY_TYPE} keys are supported`);
  const pub = r.bytes();
  if (pub.length !== 32 || !r.done()) throw new Error('malformed ed25519 public key');
  return crypto().createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64url(pub) }, format: 'jwk' });
}

/** Parses an unencrypted OpenSSH Ed25519 private key (`ssh-keygen -t ed25519 -N ''`). */
export function parseSigningKey(text: string): SigningKey {
  const m = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/.exec(text);
  if (!m) throw new Error('not an OpenSSH private key (expected "-----BEGIN OPENSSH PRIVATE KEY-----")');
  const buf = Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64');
  const magic = 'openssh-key-v1\0';
  if (buf.subarray(0, magic.length).toString('latin1') !== magic) throw new Error('not an openssh-key-v1 key');
  const r = new WireReader(buf.subarray(magic.length));
  const cipher = r.text();
  r.text(); // kdf name
  r.bytes(); // kdf options
  if (cipher !== 'none') {
    // The console cannot prompt for a passphrase mid-window; a dedicated key file is the answer.
    throw new Error('the signing key is passphrase-protected; warroom needs an unencrypted key file dedicated to it (ssh-keygen -t ed25519 -N "")');
  }
  if (r.u32() !== 1) throw new Error('the key file must hold exactly one key');
  const publicBlob = Buffer.from(r.bytes());
  const p = new WireReader(r.bytes());
  if (p.u32() !== p.u32()) throw new Error('corrupt private key (check bytes differ)');
  if (p.text() !== KEY_TYPE) throw new Error(`only ${KEY_TYPE} signing keys are supported`);
  const pub = p.bytes();
  const priv = p.bytes();
  if (pub.length !== 32 || priv.length !== 64) throw new Error('malformed ed25519 private key');
  const privateKey = crypto().createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', d: b64url(priv.subarray(0, 32)), x: b64url(pub) }, format: 'jwk' });
  return { privateKey, publicBlob, publicLine: `${KEY_TYPE} ${publicBlob.toString('base64')}` };
}

function signedData(message: string | Buffer, namespace: string): Buffer {
  const h = crypto().createHash(HASH_ALG).update(message).digest();
  return Buffer.concat([MAGIC, sshString(namespace), sshString(''), sshString(HASH_ALG), sshString(h)]);
}

function armor(blob: Buffer): string {
  const b64 = blob.toString('base64');
  const rows = b64.match(/.{1,70}/g) ?? [];
  return `-----BEGIN SSH SIGNATURE-----\n${rows.join('\n')}\n-----END SSH SIGNATURE-----\n`;
}

/** An armored SSHSIG signature of `message`. */
export function signMessage(message: string | Buffer, key: SigningKey, namespace = SIG_NAMESPACE): string {
  const sig = crypto().sign(null, signedData(message, namespace), key.privateKey);
  const blob = Buffer.concat([
    MAGIC,
    Buffer.from([0, 0, 0, 1]),
    sshString(key.publicBlob),
    sshString(namespace),
    sshString(''),
    sshString(HASH_ALG),
    sshString(Buffer.concat([sshString(KEY_TYPE), sshString(sig)])),
  ]);
  return armor(blob);
}

export interface ParsedSignature {
  publicBlob: Buffer;
  namespace: string;
  hashAlg: string;
  signature: Buffer;
}

export function parseSignature(armored: string): ParsedSignature {
  const m = /-----BEGIN SSH SIGNATURE-----([\s\S]*?)-----END SSH SIGNATURE-----/.exec(armored);
  if (!m) throw new Error('not an armored SSH signature');
  const buf = Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64');
  const r = new WireReader(buf);
  if (!r.raw(6).equals(MAGIC)) throw new Error('not an SSHSIG signature');
  if (r.u32() !== 1) throw new Error('unsupported SSHSIG version');
  const publicBlob = Buffer.from(r.bytes());
  const namespace = r.text();
  r.bytes(); // reserved
  const hashAlg = r.text();
  const s = new WireReader(r.bytes());
  if (s.text() !== KEY_TYPE) throw new Error(`only ${KEY_TYPE} signatures are supported`);
  const signature = Buffer.from(s.bytes());
  return { publicBlob, namespace, hashAlg, signature };
}

/** The outcome of checking one signature: the signer's key fingerprint, or why it does not count. */
export type SigCheck = { ok: true; key: string } | { ok: false; why: string };

/**
 * Checks `armored` over `message` for `principal` as `ssh-keygen -Y verify -n warroom` would at
 * `nowMs`: the key inside the signature must be listed for that principal, namespace and time.
 */
export function checkSignature(message: string | Buffer, armored: string, principal: string, signers: readonly AllowedSigner[], nowMs: number, namespace = SIG_NAMESPACE): SigCheck {
  const made = signatureKey(message, armored, namespace);
  if (!made.ok) return made;
  const refused = signerRefusal(made.publicBlob, principal, namespace, signers, nowMs);
  return refused ? { ok: false, why: refused } : { ok: true, key: fingerprint(made.publicBlob) };
}

/**
 * The cryptographic half of a check, independent of allowed_signers and time (so callers may
 * cache it per line): the key that made `armored` over `message`, or why it is no signature.
 */
export function signatureKey(message: string | Buffer, armored: string, namespace = SIG_NAMESPACE): { ok: true; publicBlob: Buffer } | { ok: false; why: string } {
  let sig: ParsedSignature;
  try {
    sig = parseSignature(armored);
  } catch (e) {
    return { ok: false, why: `bad signature: ${(e as Error).message}` };
  }
  if (sig.namespace !== namespace) return { ok: false, why: `signature is for namespace "${sig.namespace}", not "${namespace}"` };
  if (sig.hashAlg !== 'sha512' && sig.hashAlg !== 'sha256') return { ok: false, why: `unsupported hash ${sig.hashAlg}` };
  try {
    const h = crypto().createHash(sig.hashAlg).update(message).digest();
    const data = Buffer.concat([MAGIC, sshString(namespace), sshString(''), sshString(sig.hashAlg), sshString(h)]);
    return crypto().verify(null, data, ed25519Public(sig.publicBlob), sig.signature) ? { ok: true, publicBlob: sig.publicBlob } : { ok: false, why: 'signature does not match the content' };
  } catch (e) {
    return { ok: false, why: `bad signature: ${(e as Error).message}` };
  }
}

/** checkSignature, as why not (or undefined when it counts), judged now unless `nowMs` is given. */
export function verifyMessage(message: string | Buffer, armored: string, principal: string, signers: readonly AllowedSigner[], nowMs = Date.now()): string | undefined {
  const r = checkSignature(message, armored, principal, signers, nowMs);
  return r.ok ? undefined : r.why;
}

/** Parses an OpenSSH allowed_signers file as ssh-keygen does (see allowedSigners.ts). */
export function parseAllowedSigners(text: string): { signers: AllowedSigner[]; problems: string[] } {
  return parseAllowedSignersText(text, KEY_TYPE, (blob) => void ed25519Public(blob));
}
