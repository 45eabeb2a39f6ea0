/**
 * Forges audit files from the contract alone, with none of warroom's own code: canonical JSON
 * (keys sorted recursively, no whitespace, JSON.stringify for strings and numbers), sha256 from
 * node:crypto, signatures from the real `ssh-keygen -Y sign -n warroom`. Tests built on it
 * check warroom against the SPEC, not against itself.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SCHEMA = 'warroom.ledger/v1';
export const HEAD_SCHEMA = 'warroom.ledger-head/v1';
export const GENESIS = `sha256:${'0'.repeat(64)}`;

/** SPEC §5: the one byte-exact form a hash or signature is taken over. */
export function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
}

export const sha = (text: string) => `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;

export interface Key {
  name: string;
  key: string;
  /** `ssh-ed25519 AAAA…` */
  pub: string;
}

export function keypair(dir: string, name: string): Key {
  const key = join(dir, `key-${name}`);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', key]);
  return { name, key, pub: readFileSync(`${key}.pub`, 'utf8').split(' ').slice(0, 2).join(' ') };
}

/** An armored SSHSIG by the real ssh-keygen. */
export function sshSign(key: Key, message: string): string {
  return execFileSync('ssh-keygen', ['-q', '-Y', 'sign', '-n', 'warroom', '-f', key.key], { input: message, stdio: ['pipe', 'pipe', 'pipe'] }).toString();
}

/** `ssh-keygen -Y verify`'s verdict (exit 0) for `message` signed `sig`, as `principal`. */
export function sshVerify(allowedSigners: string, principal: string, sigFile: string, message: string, env: NodeJS.ProcessEnv = process.env): boolean {
  try {
    execFileSync('ssh-keygen', ['-Y', 'verify', '-n', 'warroom', '-f', allowedSigners, '-I', principal, '-s', sigFile], { input: message, stdio: ['pipe', 'pipe', 'pipe'], env });
    return true;
  } catch {
    return false;
  }
}

export type Line = Record<string, unknown> & { hash: string; seq: number };

/**
 * One ledger file as SPEC §5 / §9.1 define it: seq from 1, prev_hash chaining, `sig` over the
 * canonical JSON without `hash` and `sig`, `hash` over the canonical JSON without `hash`.
 */
export class ForgedLedger {
  readonly lines: Line[] = [];
  constructor(readonly deployment = 'rl-policy-v42', readonly environment = 'production') {}

  add(fields: Record<string, unknown> & { type: string; actor: string }, opts: { key?: Key; at?: number } = {}): Line {
    const prev = this.lines[this.lines.length - 1];
    const body: Record<string, unknown> = {
      schema: SCHEMA, seq: this.lines.length + 1, ts: new Date(opts.at ?? Date.now() - 60_000).toISOString(),
      deployment: this.deployment, environment: this.environment, ...fields, prev_hash: prev?.hash ?? GENESIS,
    };
    if (opts.key) body.sig = sshSign(opts.key, canonical(body));
    const line = { ...body, hash: sha(canonical(body)) } as Line;
    this.lines.push(line);
    return line;
  }

  text(upTo = this.lines.length): string {
    return this.lines.slice(0, upTo).map((l) => JSON.stringify(l) + '\n').join('');
  }

  /** The head anchor: count and last hash, signed by the writer when a key is given. */
  head(actor: string, key?: Key, upTo = this.lines.length): Record<string, unknown> {
    const head: Record<string, unknown> = { schema: HEAD_SCHEMA, count: upTo, last_hash: this.lines[upTo - 1]?.hash ?? GENESIS, ts: new Date().toISOString(), actor };
    if (key) head.sig = sshSign(key, canonical(head));
    return head;
  }

  /** Writes `<name>.jsonl` and, when `head` is given, `<name>.head`. */
  write(dir: string, name: string, head?: { actor: string; key?: Key }): void {
    writeFileSync(join(dir, `${name}.jsonl`), this.text());
    if (head) writeFileSync(join(dir, `${name}.head`), JSON.stringify(this.head(head.actor, head.key)) + '\n');
  }
}

/** A line as another console recorded a copy of it: the original signed line attached. */
export function copyOf(original: Line, recordedBy: string): Record<string, unknown> & { type: string; actor: string } {
  const { role, gate, type, actor } = original as unknown as { role?: string; gate?: string; type: string; actor: string };
  return { type, actor, ...(role ? { role } : {}), ...(gate ? { gate } : {}), remote_line: original, recorded_by: recordedBy };
}
