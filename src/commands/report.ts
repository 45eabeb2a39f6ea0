/** `warroom report [--dir DIR] [--output FILE]`: the window's Markdown post-deploy report. */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AuditReportError, renderReport, type ReportOptions } from '../audit/report.js';
import { rulesFor } from '../audit/signers.js';
import type { Parsed } from '../cli/args.js';
import { CliError, EXIT } from '../cli/exit.js';
import { loadConfigOrFail, type CliIo } from '../cli/io.js';
import { auditDir } from './audit.js';

/** The config's sign-off rules when a config is at hand (the same rule as check and the console). */
async function reportRules(p: Parsed, io: CliIo): Promise<ReportOptions> {
  try {
    const config = await loadConfigOrFail(p.values.config as string | undefined, io);
    const { rules } = await rulesFor(config, Date.now());
    const { now: _n, ...rest } = rules;
    return { rules: rest };
  } catch {
    return {};
  }
}

export async function reportCommand(p: Parsed, io: CliIo): Promise<number> {
  const dir = await auditDir(p, io);
  let md: string;
  try {
    md = await renderReport(dir, await reportRules(p, io));
  } catch (err) {
    if (err instanceof AuditReportError) throw new CliError(err.message, EXIT.USAGE);
    throw err;
  }
  if (typeof p.values.output === 'string') {
    const out = resolve(io.cwd, p.values.output);
    await writeFile(out, md);
    io.stdout.write(`report written to ${out}\n`);
  } else io.stdout.write(md);
  return 0;
}
