/** `warroom audit verify [--dir DIR]`: exit 0, or 1 naming the first bad line. */
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { signedMessage, splitLines } from '../audit/chain.js';
import { LEDGER_FILE } from '../audit/types.js';
import { verifyAuditDir } from '../audit/verify.js';
import { rulesFor } from '../audit/signers.js';
import type { AuthorityRules } from '../audit/authority.js';
import type { Parsed } from '../cli/args.js';
import { CliError, EXIT } from '../cli/exit.js';
import { loadConfigOrFail, type CliIo } from '../cli/io.js';

/** `--dir`, else the configured audit.dir (when a config is found), else ./artifacts/audit. */
export async function auditDir(p: Parsed, io: CliIo): Promise<string> {
  if (typeof p.values.dir === 'string') return resolve(io.cwd, p.values.dir);
  try {
    return (await loadConfigOrFail(p.values.config as string | undefined, io)).audit.dir;
  } catch (err) {
    if (p.values.config !== undefined || io.env.WARROOM_CONFIG !== undefined) throw err;
    return resolve(io.cwd, 'artifacts/audit');
  }
}

/** The config's rules for judging invalidations, when a config is at hand. */
async function roomRules(p: Parsed, io: CliIo): Promise<Omit<AuthorityRules, 'maxAgeMs'> | undefined> {
  try {
    const { rules } = await rulesFor(await loadConfigOrFail(p.values.config as string | undefined, io), Date.now());
    return rules;
  } catch {
    return undefined;
  }
}

const USAGE = 'usage: warroom audit verify [--dir DIR] | warroom audit message [FILE:]LINE [--dir DIR] [--sig] | warroom audit invalidate [FILE:]LINE --reason TEXT';

/**
 * `audit message [FILE:]LINE`: the exact bytes a signed line's `sig` is over (or, with --sig,
 * the armored signature), so anyone can check it with
 * `ssh-keygen -Y verify -n warroom -f allowed_signers -I ACTOR -s SIG < MESSAGE`.
 */
async function messageCommand(p: Parsed, io: CliIo): Promise<number> {
  const m = /^(?:([^:]+):)?(\d+)$/.exec(p.positionals[1] ?? '');
  if (!m) throw new CliError(`audit message needs [FILE:]LINE, e.g. ledger.jsonl:7\n${USAGE}`, EXIT.USAGE);
  const dir = await auditDir(p, io);
  const file = m[1] ?? LEDGER_FILE;
  let text: string;
  try {
    text = await readFile(join(dir, basename(file)), 'utf8');
  } catch (e) {
    throw new CliError(`cannot read ${join(dir, basename(file))}: ${(e as Error).message}`, EXIT.USAGE);
  }
  const raw = splitLines(text).find((l) => l.lineNo === Number(m[2]));
  let line: Record<string, unknown>;
  try {
    line = JSON.parse(raw?.text ?? '') as Record<string, unknown>;
  } catch {
    throw new CliError(`${file}:${m[2]}: no such line, or not JSON`, EXIT.USAGE);
  }
  if (p.values.sig) {
    if (typeof line.sig !== 'string') throw new CliError(`${file}:${m[2]}: the line is not signed`, EXIT.USAGE);
    io.stdout.write(line.sig);
  } else io.stdout.write(signedMessage(line));
  return 0;
}

export async function auditCommand(p: Parsed, io: CliIo): Promise<number> {
  if (p.positionals[0] === 'message') return messageCommand(p, io);
  if (p.positionals[0] === 'invalidate') return (await import('./invalidate.js')).invalidateCommand(p, io);
  if (p.positionals[0] !== 'verify' || p.positionals.length > 1) throw new CliError(`unknown audit subcommand "${p.positionals.join(' ')}"; ${USAGE}`, EXIT.USAGE);
  if (p.values.room) return verifyRoomCommand(p, io);
  const dir = await auditDir(p, io);
  const res = await verifyAuditDir(dir, await roomRules(p, io));
  (res.ok ? io.stdout : io.stderr).write(`${res.message}\n`);
  return res.exitCode;
}

/** `audit verify --room`: the room's stream instead of a dir (loaded only then); 69 when it cannot be read. */
async function verifyRoomCommand(p: Parsed, io: CliIo): Promise<number> {
  const config = await loadConfigOrFail(p.values.config as string | undefined, io);
  if (!config.room.nats) throw new CliError('--room needs room.nats in the config', EXIT.USAGE);
  let res;
  try {
    res = await (await import('../room/audit.js')).verifyRoom(config);
  } catch (e) {
    throw new CliError((e as Error).message, 69);
  }
  (res.ok ? io.stdout : io.stderr).write(`${res.message}\n`);
  return res.ok ? 0 : 1;
}
