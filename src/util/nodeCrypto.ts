/**
 * `node:crypto`, loaded on first use. Loading it costs ~5 ms on Node 24 (~4 on Node 20), a twentieth
 * of a 10-gate `check`, which hashes and verifies only when the audit dir holds sign-offs or
 * `allowed_signers` is set; the console loads it on its first audit line either way.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let cryptoModule: typeof import('node:crypto') | undefined;

export function crypto(): typeof import('node:crypto') {
  return (cryptoModule ??= require('node:crypto') as typeof import('node:crypto'));
}
