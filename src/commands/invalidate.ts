/**
 * `warroom audit invalidate [FILE:]LINE --reason TEXT`: appends an invalidation of an earlier
 * decision, sign-off or waiver line (SPEC §9.5), signed when a key is given, through the dir's
 * one-writer lock (a console holding ledger.jsonl means this goes to ledger-<actor>.jsonl).
 * Rights are checked here, at the act, by the same rule every reader applies to the line.
 */
import { resolve } from 'node:path';
import { holdsRole, INVALIDATE_ROLE } from '../audit/authority.js';
import { checkTarget, parseTargetRef } from '../audit/invalidate.js';
import { Ledger } from '../audit/ledger.js';
import { readLedgers } from '../audit/ledgerSet.js';
import { loadSigningKey, rulesFor } from '../audit/signers.js';
import { signedRoom } from '../audit/judge.js';
import { signerRefusal } from '../audit/sshsig.js';
import type { Parsed } from '../cli/args.js';
import { CliError, EXIT } from '../cli/exit.js';
import { loadConfigOrFail, resolveActor, type CliIo } from '../cli/io.js';
import { stripControl } from '../util/sanitize.js';

const USAGE = 'usage: warroom audit invalidate [FILE:]LINE --reason TEXT [--dir DIR] [--config FILE] [--actor NAME] [--signing-key FILE]';
const clean = (s: string) => stripControl(s, { keepNewlines: false });

export async function invalidateCommand(p: Parsed, io: CliIo): Promise<number> {
  const ref = parseTargetRef(p.positionals[1] ?? '');
  if (!ref) throw new CliError(`audit invalidate needs [FILE:]LINE, e.g. ledger.jsonl:7\n${USAGE}`, EXIT.USAGE);
  const reason = typeof p.values.reason === 'string' ? clean(p.values.reason).trim() : '';
  if (!reason) throw new CliError(`audit invalidate needs --reason TEXT (why the entry no longer stands)\n${USAGE}`, EXIT.USAGE);
  if (reason.length > 1000) throw new CliError('--reason must be at most 1000 characters', EXIT.USAGE);
  // The room's roles decide who may invalidate: without its config nothing can be checked.
  const config = await loadConfigOrFail(p.values.config as string | undefined, io);
  const dir = typeof p.values.dir === 'string' ? resolve(io.cwd, p.values.dir) : config.audit.dir;
  const actor = resolveActor(p.values.actor as string | undefined, io.env);
  if (config.roles && !holdsRole({ roles: config.roles }, actor, INVALIDATE_ROLE)) {
    const held = Object.entries(config.roles).filter(([, who]) => who.includes(actor)).map(([r]) => r);
    throw new CliError(`invalidation refused: it needs role ${INVALIDATE_ROLE} (${actor} holds: ${held.join(', ') || 'no role'})`, EXIT.NOPERM);
  }
  const { rules } = await rulesFor(config, Date.now());
  const read = await readLedgers(dir, { ...(rules.signers ? { signers: rules.signers } : {}), now: rules.now });
  if (read.files.length === 0) throw new CliError(`no ledger in ${dir}${read.problems.length ? ` (${read.problems.join('; ')})` : ''}`, EXIT.USAGE);
  const t = checkTarget(read.files, ref, rules);
  if (!t.ok) throw new CliError(`invalidation refused: ${clean(t.why)}`, EXIT.USAGE);

  const keyPath = (p.values['signing-key'] as string | undefined) ?? config.room.signingKey ?? io.env.WARROOM_SIGNING_KEY;
  // In a signed room an unsigned invalidation would be a claim that removes nothing: refuse it here.
  if (!keyPath && signedRoom(rules)) throw new CliError(`invalidation refused: room.allowed_signers is set, so only a signed invalidation counts; give --signing-key FILE (or room.signing_key, $WARROOM_SIGNING_KEY) with ${actor}'s key`, EXIT.NOPERM);
  let signer;
  if (keyPath) {
    try {
      signer = await loadSigningKey(resolve(io.cwd, keyPath));
    } catch (e) {
      throw new CliError((e as Error).message, EXIT.CONFIG);
    }
    const refused = rules.signers ? signerRefusal(signer.publicBlob, actor, 'warroom', rules.signers, rules.now) : undefined;
    if (refused) throw new CliError(`invalidation refused: ${clean(refused)}; it would not count`, EXIT.NOPERM);
  }
  const ledger = await Ledger.open(dir, {
    deployment: config.deployment.name,
    environment: config.deployment.environment,
    lockAs: actor,
    ...(signer ? { signer } : {}),
    ...(rules.signers ? { headSigners: rules.signers } : {}),
  });
  try {
    if (!ledger.integrity.ok) throw new CliError(`${ledger.file} fails verification (line ${ledger.integrity.line}: ${ledger.integrity.reason}); not appending to it; run warroom audit verify`, EXIT.USAGE);
    const role = config.roles?.[INVALIDATE_ROLE]?.includes(actor) ? INVALIDATE_ROLE : undefined;
    const line = ledger.append({ type: 'invalidate', target: t.target, reason, actor, ...(role ? { role } : {}) });
    try {
      await ledger.flush(10_000);
    } catch (e) {
      throw new CliError(`invalidation NOT saved to ${ledger.path}: ${(e as Error).message}`, EXIT.INTERNAL);
    }
    for (const n of ledger.notes) io.stderr.write(`note: ${clean(n)}\n`);
    io.stdout.write(
      `invalidated ${t.target.file}:${t.target.line} (${clean(t.what)} by ${clean(t.line.actor)}): ${reason}\n` +
        `recorded as ${ledger.file}:${line.seq}${(line as { sig?: string }).sig ? ' (signed)' : ''} by ${actor}\n`,
    );
    return 0;
  } finally {
    await ledger.close();
  }
}
