/** Real OpenSSH Ed25519 keys for tests, made with ssh-keygen (unencrypted, as --signing-key takes). */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** `key` is the private key file; `pub` the `ssh-ed25519 AAAA…` part an allowed_signers line takes. */
export function keypair(dir: string, name: string): { key: string; pub: string } {
  const key = join(dir, `key-${name}`);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', key]);
  return { key, pub: readFileSync(`${key}.pub`, 'utf8').split(' ').slice(0, 2).join(' ') };
}
