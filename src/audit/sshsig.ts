/**
 * SSHSIG (OpenSSH PROTOCOL.sshsig) for Ed25519 keys, with node:crypto only: signing with an
 * OpenSSH private key file, verifying against an `allowed_signers` file. What this writes,
 * `ssh-keygen -Y verify -n warroom` accepts (tested against the real binary), so anyone can
 * check a signed ledger line without warroom.
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

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

export interface AllowedSigner {
  principals: string[];
  namespaces?: string[];
  publicBlob: Buffer;
  /** 1-based line in the file, for messages. */
  line: number;
}

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
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64url(pub) }, format: 'jwk' });
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
  const privateKey = createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', d: b64url(priv.subarray(0, 32)), x: b64url(pub) }, format: 'jwk' });
  return { privateKey, publicBlob, publicLine: `${KEY_TYPE} ${publicBlob.toString('base64')}` };
}

function signedData(message: string | Buffer, namespace: string): Buffer {
  const h = createHash(HASH_ALG).update(message).digest();
  return Buffer.concat([MAGIC, sshString(namespace), sshString(''), sshString(HASH_ALG), sshString(h)]);
}

function armor(blob: Buffer): string {
  const b64 = blob.toString('base64');
  const rows = b64.match(/.{1,70}/g) ?? [];
  return `-----BEGIN SSH SIGNATURE-----\n${rows.join('\n')}\n-----END SSH SIGNATURE-----\n`;
}

/** An armored SSHSIG signature of `message`. */
export function signMessage(message: string | Buffer, key: SigningKey, namespace = SIG_NAMESPACE): string {
  const sig = sign(null, signedData(message, namespace), key.privateKey);
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

/**
 * Checks `armored` over `message` for `principal` against the allowed signers: the key inside
 * the signature must be listed for that principal (and namespace). Returns why not, or undefined.
 */
export function verifyMessage(
  message: string | Buffer,
  armored: string,
  principal: string,
  signers: readonly AllowedSigner[],
  namespace = SIG_NAMESPACE,
): string | undefined {
  let sig: ParsedSignature;
  try {
    sig = parseSignature(armored);
  } catch (e) {
    return `bad signature: ${(e as Error).message}`;
  }
  if (sig.namespace !== namespace) return `signature is for namespace "${sig.namespace}", not "${namespace}"`;
  if (sig.hashAlg !== 'sha512' && sig.hashAlg !== 'sha256') return `unsupported hash ${sig.hashAlg}`;
  const listed = signers.some(
    (s) => s.publicBlob.equals(sig.publicBlob) && s.principals.some((p) => principalMatches(p, principal)) && (!s.namespaces || s.namespaces.some((n) => principalMatches(n, namespace))),
  );
  if (!listed) return `the signing key is not listed for ${principal} in allowed_signers`;
  try {
    const h = createHash(sig.hashAlg).update(message).digest();
    const data = Buffer.concat([MAGIC, sshString(namespace), sshString(''), sshString(sig.hashAlg), sshString(h)]);
    return verify(null, data, ed25519Public(sig.publicBlob), sig.signature) ? undefined : 'signature does not match the content';
  } catch (e) {
    return `bad signature: ${(e as Error).message}`;
  }
}

/** OpenSSH patterns: `*` and `?`, matched whole. */
function principalMatches(pattern: string, name: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(name);
}

/** Splits on whitespace outside double quotes. */
function tokens(line: string): string[] {
  const out: string[] = [];
  const re = /(?:[^\s"]+|"[^"]*")+/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push(m[0]);
  return out;
}

/**
 * Parses an OpenSSH allowed_signers file. Lines with keys other than ssh-ed25519, and
 * cert-authority lines, are reported and skipped rather than trusted.
 */
export function parseAllowedSigners(text: string): { signers: AllowedSigner[]; problems: string[] } {
  const signers: AllowedSigner[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((rawLine, i) => {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) return;
    const t = tokens(line);
    const principals = t[0]!.replace(/^"|"$/g, '').split(',').filter(Boolean);
    let at = 1;
    let namespaces: string[] | undefined;
    if (t[at] && !/^(ssh-|ecdsa-|sk-)/.test(t[at]!)) {
      for (const opt of t[at]!.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)) {
        const [k, v] = opt.split('=', 2) as [string, string | undefined];
        if (k.toLowerCase() === 'namespaces' && v) namespaces = v.replace(/^"|"$/g, '').split(',');
        else if (k.toLowerCase() === 'cert-authority') {
          problems.push(`line ${i + 1}: cert-authority entries are not supported; skipped`);
          return;
        }
      }
      at++;
    }
    const type = t[at];
    const b64 = t[at + 1];
    if (type !== KEY_TYPE || !b64) {
      problems.push(`line ${i + 1}: only ${KEY_TYPE} keys are supported (found ${type ?? 'nothing'}); skipped`);
      return;
    }
    const publicBlob = Buffer.from(b64, 'base64');
    try {
      ed25519Public(publicBlob);
    } catch (e) {
      problems.push(`line ${i + 1}: ${(e as Error).message}; skipped`);
      return;
    }
    signers.push({ principals, ...(namespaces ? { namespaces } : {}), publicBlob, line: i + 1 });
  });
  return { signers, problems };
}
