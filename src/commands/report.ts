/** `warroom report [--dir DIR] [--output FILE]`: the window's Markdown post-deploy report. */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AuditReportError, renderReport } from '../audit/report.js';
import type { Parsed } from '../cli/args.js';
import { CliError, EXIT } from '../cli/exit.js';
import type { CliIo } from '../cli/io.js';
import { auditDir } from './audit.js';

export async function reportCommand(p: Parsed, io: CliIo): Promise<number> {
  const dir = await auditDir(p, io);
  let md: string;
  try {
    md = await renderReport(dir);
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
