/** `warroom audit verify [--dir DIR]`: exit 0, or 1 naming the first bad line. */
import { resolve } from 'node:path';
import { verifyAuditDir } from '../audit/verify.js';
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

export async function auditCommand(p: Parsed, io: CliIo): Promise<number> {
  if (p.positionals[0] !== 'verify') throw new CliError(`unknown audit subcommand "${p.positionals[0] ?? ''}"; usage: warroom audit verify [--dir DIR]`, EXIT.USAGE);
  const dir = await auditDir(p, io);
  const res = await verifyAuditDir(dir);
  (res.ok ? io.stdout : io.stderr).write(`${res.message}\n`);
  return res.exitCode;
}
