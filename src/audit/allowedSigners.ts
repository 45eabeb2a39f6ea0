/**
 * OpenSSH's `allowed_signers` file, read as `ssh-keygen -Y verify` reads it (ssh-keygen(1)
 * ALLOWED SIGNERS; sshsig.c, match.c, misc.c): principal pattern lists with `*`, `?` and `!`
 * negation (a negated match refuses whatever the order), the options `namespaces`,
 * `valid-after`, `valid-before` (YYYYMMDD[HHMM[SS]], `Z`/`UTC` for UTC, else local time) and
 * `cert-authority` (refused here: warroom verifies plain keys only). An unknown or malformed
 * option makes OpenSSH skip the line; so does this. Pure: the caller reads the file.
 */
import { crypto } from '../util/nodeBuiltins.js';

export interface AllowedSigner {
  /** The principals pattern list, split on commas (`*,!mallory`). */
  principals: string[];
  /** The `namespaces` pattern list, when the line restricts it. */
  namespaces?: string[];
  /** Seconds since the epoch; the key is not valid before / after it. */
  validAfter?: number;
  validBefore?: number;
  publicBlob: Buffer;
  /** 1-based line in the file, for messages. */
  line: number;
}

/** OpenSSH match_pattern: `*` any run, `?` one character, everything else literal, whole string. */
export function matchPattern(name: string, pattern: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[\\s\\S]*').replace(/\?/g, '[\\s\\S]')}$`);
  return re.test(name);
}

/** OpenSSH match_pattern_list: 1 a positive match, -1 a negated match (wins over any positive), 0 none. */
export function matchPatternList(name: string, patterns: readonly string[]): 1 | 0 | -1 {
  let positive = false;
  for (const p of patterns) {
    const negated = p.startsWith('!');
    if (!matchPattern(name, negated ? p.slice(1) : p)) continue;
    if (negated) return -1;
    positive = true;
  }
  return positive ? 1 : 0;
}

/** OpenSSH parse_absolute_time: seconds since the epoch, or undefined when malformed. */
export function parseAbsoluteTime(text: string): number | undefined {
  let s = text;
  let utc = false;
  if (s.length > 1 && /z$/i.test(s)) {
    utc = true;
    s = s.slice(0, -1);
  } else if (s.length > 3 && /utc$/i.test(s)) {
    utc = true;
    s = s.slice(0, -3);
  }
  if (!/^\d+$/.test(s) || ![8, 12, 14].includes(s.length)) return undefined;
  const n = (from: number, len: number) => (s.length >= from + len ? Number(s.slice(from, from + len)) : 0);
  const [y, mo, d, h, mi, se] = [n(0, 4), n(4, 2), n(6, 2), n(8, 2), n(10, 2), n(12, 2)];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return undefined;
  const ms = utc ? Date.UTC(y, mo - 1, d, h, mi, se) : new Date(y, mo - 1, d, h, mi, se).getTime();
  return Number.isFinite(ms) && ms >= 0 ? Math.floor(ms / 1000) : undefined;
}

/** Splits on whitespace outside double quotes. */
function tokens(line: string): string[] {
  const out: string[] = [];
  const re = /(?:[^\s"]+|"(?:[^"\\]|\\.)*"?)+/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push(m[0]);
  return out;
}

/** OpenSSH opt_dequote: `"…"` with `\"` inside; undefined when unquoted or unterminated. */
function dequote(v: string): string | undefined {
  if (!v.startsWith('"')) return undefined;
  let out = '';
  for (let i = 1; i < v.length; i++) {
    const c = v[i]!;
    if (c === '"') return i === v.length - 1 ? out : undefined;
    if (c === '\\' && v[i + 1] === '"') i++;
    out += v[i]!;
  }
  return undefined;
}

type Options = { namespaces?: string[]; validAfter?: number; validBefore?: number; ca?: boolean };

/** sshsigopt_parse: the options an allowed_signers line may carry; a string says why the line is skipped. */
function parseOptions(text: string): Options | string {
  const out: Options = {};
  for (const opt of text.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)) {
    const eq = opt.indexOf('=');
    const name = (eq < 0 ? opt : opt.slice(0, eq)).toLowerCase();
    const value = eq < 0 ? undefined : dequote(opt.slice(eq + 1));
    if (name === 'cert-authority' && eq < 0) out.ca = true;
    else if (name === 'namespaces' && value !== undefined && out.namespaces === undefined) out.namespaces = value.split(',');
    else if ((name === 'valid-after' || name === 'valid-before') && value !== undefined) {
      const t = parseAbsoluteTime(value);
      if (!t) return `invalid "${name}" time ${JSON.stringify(value)}`;
      const key = name === 'valid-after' ? 'validAfter' : 'validBefore';
      if (out[key] !== undefined) return `multiple "${name}" clauses`;
      out[key] = t;
    } else return `unsupported or malformed option ${JSON.stringify(opt)}`;
  }
  return out;
}

/**
 * Parses an allowed_signers file. `validKey` checks a public key blob (throws why not).
 * Lines OpenSSH would skip, lines with key types other than `keyType`, and cert-authority
 * lines are reported and skipped rather than trusted.
 */
export function parseAllowedSignersText(text: string, keyType: string, validKey: (blob: Buffer) => void): { signers: AllowedSigner[]; problems: string[] } {
  const signers: AllowedSigner[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((rawLine, i) => {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) return;
    const skip = (why: string) => problems.push(`line ${i + 1}: ${why}; skipped`);
    const t = tokens(line);
    const principals = (t[0]!.startsWith('"') ? (dequote(t[0]!) ?? '') : t[0]!).split(',').filter(Boolean);
    if (principals.length === 0) return skip('no principals');
    let at = 1;
    let opts: Options = {};
    if (t[at] && !/^(ssh-|ecdsa-|sk-)/.test(t[at]!)) {
      const o = parseOptions(t[at]!);
      if (typeof o === 'string') return skip(o);
      opts = o;
      at++;
    }
    if (opts.ca) return skip('cert-authority entries are not supported (warroom verifies plain keys only)');
    const type = t[at];
    const b64 = t[at + 1];
    if (type !== keyType || !b64) return skip(`only ${keyType} keys are supported (found ${type ?? 'nothing'})`);
    const publicBlob = Buffer.from(b64, 'base64');
    try {
      validKey(publicBlob);
    } catch (e) {
      return skip((e as Error).message);
    }
    signers.push({
      principals,
      ...(opts.namespaces ? { namespaces: opts.namespaces } : {}),
      ...(opts.validAfter !== undefined ? { validAfter: opts.validAfter } : {}),
      ...(opts.validBefore !== undefined ? { validBefore: opts.validBefore } : {}),
      publicBlob,
      line: i + 1,
    });
  });
  return { signers, problems };
}

/** `SHA256:…` as `ssh-keygen -l` prints it: one person is one key. */
export function fingerprint(publicBlob: Buffer): string {
  return `SHA256:${crypto().createHash('sha256').update(publicBlob).digest('base64').replace(/=+$/, '')}`;
}

const stamp = (s: number) => new Date(s * 1000).toISOString().replace(/\.000Z$/, 'Z');

/**
 * sshsig_check_allowed_keys: is `publicBlob` listed for `principal` and `namespace` at `nowMs`?
 * Undefined when some line allows it; else why not (the most telling reason found).
 */
export function signerRefusal(publicBlob: Buffer, principal: string, namespace: string, signers: readonly AllowedSigner[], nowMs: number): string | undefined {
  const now = Math.floor(nowMs / 1000);
  let why = `the signing key is not listed for ${principal} in allowed_signers`;
  for (const s of signers) {
    if (!s.publicBlob.equals(publicBlob)) continue;
    const m = matchPatternList(principal, s.principals);
    if (m !== 1) {
      if (m === -1) why = `allowed_signers line ${s.line} excludes ${principal} (${s.principals.join(',')})`;
      continue;
    }
    if (s.namespaces && matchPatternList(namespace, s.namespaces) !== 1) {
      why = `allowed_signers line ${s.line} does not allow namespace "${namespace}"`;
      continue;
    }
    if (s.validAfter !== undefined && now < s.validAfter) {
      why = `the key of ${principal} is not valid before ${stamp(s.validAfter)} (allowed_signers line ${s.line})`;
      continue;
    }
    if (s.validBefore !== undefined && now > s.validBefore) {
      why = `the key of ${principal} expired at ${stamp(s.validBefore)} (allowed_signers line ${s.line})`;
      continue;
    }
    return undefined;
  }
  return why;
}
