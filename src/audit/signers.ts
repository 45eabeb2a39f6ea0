/** Loading the room's keys (SPEC §9.1): the actor's signing key and the allowed_signers file. */
import { readFile } from 'node:fs/promises';
import type { Config } from '../config/types.js';
import type { AuthorityRules } from './authority.js';
import { parseAllowedSigners, parseSigningKey, type AllowedSigner, type SigningKey } from './sshsig.js';

export async function loadSigningKey(path: string): Promise<SigningKey> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new Error(`cannot read signing key ${path}: ${(e as Error).message}`);
  }
  try {
    return parseSigningKey(text);
  } catch (e) {
    throw new Error(`signing key ${path}: ${(e as Error).message}`);
  }
}

/** The signers, and problems worth a warning (unreadable file, skipped lines). */
export async function loadAllowedSigners(path: string | undefined): Promise<{ signers: AllowedSigner[]; problems: string[] }> {
  if (!path) return { signers: [], problems: [] };
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    return { signers: [], problems: [`cannot read allowed_signers ${path}: ${(e as Error).message}; no signed act can count`] };
  }
  const r = parseAllowedSigners(text);
  return { signers: r.signers, problems: r.problems.map((p) => `allowed_signers ${path} ${p}`) };
}

/** The sign-off rules of this window (SPEC §9.1), with the room's allowed signers loaded. */
export async function rulesFor(config: Config, now: number): Promise<{ rules: AuthorityRules; problems: string[] }> {
  const { signers, problems } = await loadAllowedSigners(config.room.allowedSigners);
  // Configured (even unreadable): only signatures decide, so nothing counts until it is fixed.
  return {
    rules: { deployment: config.deployment.name, ...(config.roles ? { roles: config.roles } : {}), maxAgeMs: config.decision.signoffMaxAge, now, ...(config.room.allowedSigners ? { signers } : {}) },
    problems,
  };
}
