/** `warroom report [--format md|html|json] [--dir DIR] [--output FILE]`: the window's post-deploy report. */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AuditReportError, renderReport, type ReportOptions } from '../audit/report.js';
import { rulesFor } from '../audit/signers.js';
import type { Parsed } from '../cli/args.js';
import { CliError, EXIT } from '../cli/exit.js';
import { loadConfigOrFail, type CliIo } from '../cli/io.js';
import { auditDir } from './audit.js';
import { inspectAuditDir } from '../audit/verify.js';
import { judgeInvalidations } from '../audit/authority.js';
import { chainedLines } from '../audit/ledgerSet.js';
import { actHash, judgeLine } from '../audit/judge.js';
import { resolveActor } from '../cli/io.js';

/** `report --notify`: the window's summary to every sink taking `report` (exit 0 all delivered, 75 not). */
async function reportNotify(p: Parsed, io: CliIo): Promise<number> {
  const config = await loadConfigOrFail(p.values.config as string | undefined, io);
  const { deliverAndReport, requireSinks } = await import('./announce.js');
  requireSinks(config, 'report');
  const dir = typeof p.values.dir === 'string' ? resolve(io.cwd, p.values.dir) : config.audit.dir;
  // The same judge as the Markdown report: in a signed room, claims make the integrity FAILED.
  const { rules } = await rulesFor(config, Date.now());
  const r = await inspectAuditDir(dir, { ...(rules.signers ? { signers: rules.signers } : {}), now: rules.now });
  if (r.files.length === 0) throw new CliError(r.problems[0] ?? `no ledger in ${dir}`, EXIT.USAGE);
  const lines = r.files.flatMap((f) => f.lines.map((x) => x.line)).sort((a, b) => Date.parse(a.ts) - Date.parse(b.ts));
  const { reportEvent } = await import('../notify/window.js');
  const integrity = r.problems.length === 0 ? { ok: true, text: `${lines.length} ledger line(s) chained, ${r.decisionFiles} decision record(s)` } : { ok: false, text: r.problems.join('; ') };
  // As in the Markdown report: a claim no listed key signed, or an invalidated act, is never told as a decision.
  const gone = judgeInvalidations(r.files.flatMap(chainedLines), rules).counted;
  const acts = lines.filter((l) => judgeLine(l, rules).ok && !gone.has(actHash(l)));
  const event = reportEvent(acts, { integrity, actor: resolveActor(p.values.actor as string | undefined, io.env), now: Date.now(), deployment: config.deployment.name, environment: config.deployment.environment });
  return deliverAndReport(config, event, io);
}

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

const FORMATS = ['md', 'html', 'json'] as const;

/** HTML or JSON: the window model (charts' data) rendered; Markdown is the table report. */
async function renderFormat(format: (typeof FORMATS)[number], dir: string, opts: ReportOptions): Promise<string> {
  if (format === 'md') return renderReport(dir, opts);
  const { readWindowDir, windowModel } = await import('../report/window.js');
  const { NoLedgerError } = await import('../report/inputs.js');
  let model;
  try {
    // `--room` reads the room's stream instead: a second reader of the same window.
    model = windowModel(await readWindowDir(dir, opts.rules), { generatedAt: Date.now() });
  } catch (e) {
    throw e instanceof NoLedgerError ? new AuditReportError(e.message) : e;
  }
  if (format === 'json') return JSON.stringify(model, null, 2) + '\n';
  return (await import('../report/html.js')).renderHtml(model);
}

export async function reportCommand(p: Parsed, io: CliIo): Promise<number> {
  if (p.values.notify) return reportNotify(p, io);
  const format = (p.values.format as string | undefined) ?? 'md';
  if (!(FORMATS as readonly string[]).includes(format)) throw new CliError(`--format must be md, html or json (got "${format}")`, EXIT.USAGE);
  let text: string;
  try {
    text = p.values.room ? await roomReport(p, io, format as (typeof FORMATS)[number]) : await renderFormat(format as (typeof FORMATS)[number], await auditDir(p, io), await reportRules(p, io));
  } catch (err) {
    if (err instanceof AuditReportError) throw new CliError(err.message, EXIT.USAGE);
    throw err;
  }
  if (typeof p.values.output === 'string') {
    const out = resolve(io.cwd, p.values.output);
    try {
      await writeFile(out, text);
    } catch (e) {
      throw new CliError(`cannot write ${out}: ${(e as Error).message}`, EXIT.USAGE);
    }
    io.stdout.write(`report written to ${out}\n`);
  } else io.stdout.write(text);
  return 0;
}

/** `report --room`: from the room's stream (loaded only then); `--dir` adds that console's gate history. */
async function roomReport(p: Parsed, io: CliIo, format: (typeof FORMATS)[number]): Promise<string> {
  const config = await loadConfigOrFail(p.values.config as string | undefined, io);
  if (!config.room.nats) throw new CliError('--room needs room.nats in the config', EXIT.USAGE);
  const historyDir = typeof p.values.dir === 'string' ? resolve(io.cwd, p.values.dir) : undefined;
  let model;
  try {
    if (format === 'md') return await (await import('../room/reportRead.js')).renderRoomReport(config);
    const { readWindowRoom } = await import('../room/reportRead.js');
    const { windowModel } = await import('../report/window.js');
    model = windowModel(await readWindowRoom(config, historyDir), { generatedAt: Date.now() });
  } catch (e) {
    throw new CliError((e as Error).message, 69);
  }
  if (format === 'json') return JSON.stringify(model, null, 2) + '\n';
  return (await import('../report/html.js')).renderHtml(model);
}
