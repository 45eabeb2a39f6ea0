/**
 * GO / NO-GO decision records (SPEC §5): one JSON file per decision, written atomically and
 * chained to the ledger through prev_hash (the ledger's hash at the time) and the ledger's
 * `decision` line carrying this record's hash.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { link, mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { sleep, systemClock, type Clock } from '../core/clock.js';
import type { CriterionStatus, Overall, Signoff, Value, Waiver } from '../core/types.js';
import { canonicalJson, jsonSafe, sha256Tagged } from './canonical.js';
import { fsyncDir } from './fsutil.js';
import type { Ledger } from './ledger.js';
import { trackPending } from './pendingRecords.js';
import type { DecisionKind, LedgerLine, OverrideSummary } from './types.js';

export const DECISION_SCHEMA = 'warroom.decision/v1';
export const DECISION_SUFFIX = '_go_nogo.json';

export interface DecisionCriterion {
  id: string;
  title: string;
  group: string;
  severity: string;
  status: CriterionStatus;
  value: Value | null;
  threshold: string;
  observed_at: string | null;
  /** Gate metadata, present only when configured. */
  owner?: string;
  runbook?: string;
  description?: string;
  /** Judged gates: the effect in words and the figures behind the verdict. */
  value_text?: string;
  judgment?: Record<string, unknown>;
}

export interface DecisionRecord {
  schema: typeof DECISION_SCHEMA;
  id: string;
  timestamp: string;
  deployment: string;
  environment: string;
  decision: DecisionKind;
  decided_by: string;
  role: string | null;
  justification: string;
  next_review: string | null;
  overall: Overall;
  influence_pct: number | null;
  ramp_stage: number | null;
  signoffs: { role: string; actor: string; at: string }[];
  waivers: { gate: string; actor: string; reason: string; expires: string }[];
  criteria: DecisionCriterion[];
  /** SPEC §9.5: the weighted score when decision.score is configured (absent otherwise). */
  score?: DecisionScore;
  /** A GO over a NO-GO light (SPEC §9.5): the request, every approver, the criteria when asked. */
  override?: OverrideSummary & { criteria: unknown[] };
  prev_hash: string;
  hash: string;
}

export interface DecisionScore {
  value: number | null;
  pass: number;
  warning: number;
}

/** What the console knows when a decision is taken; times in ms epoch. */
export interface DecisionInput {
  id?: string;
  at: number;
  deployment: string;
  environment: string;
  decision: DecisionKind;
  decidedBy: string;
  role?: string | null;
  justification: string;
  nextReview?: number | null;
  overall: Overall;
  influencePct?: number | null;
  rampStage?: number | null;
  signoffs: readonly Signoff[];
  waivers: readonly Waiver[];
  criteria: readonly (Omit<DecisionCriterion, 'observed_at'> & { observedAt?: number })[];
  score?: DecisionScore;
  override?: OverrideSummary & { criteria: unknown[] };
}

const iso = (ms: number): string => new Date(ms).toISOString();
const isoOrNull = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined || !Number.isFinite(ms) ? null : iso(ms);

/** Hash of a decision record: sha256 over its canonical JSON without `hash`. */
export function hashDecisionRecord(record: Omit<DecisionRecord, 'hash'> | DecisionRecord): string {
  const { hash: _drop, ...rest } = record as DecisionRecord;
  return sha256Tagged(canonicalJson(rest));
}

/** Pure: the record for `input`, chained after the ledger hash `prevHash`. */
export function buildDecisionRecord(input: DecisionInput, prevHash: string): DecisionRecord {
  const body: Omit<DecisionRecord, 'hash'> = jsonSafe({
    schema: DECISION_SCHEMA,
    id: input.id ?? randomUUID(),
    timestamp: iso(input.at),
    deployment: input.deployment,
    environment: input.environment,
    decision: input.decision,
    decided_by: input.decidedBy,
    role: input.role ?? null,
    justification: input.justification,
    next_review: isoOrNull(input.nextReview),
    overall: input.overall,
    influence_pct: input.influencePct ?? null,
    ramp_stage: input.rampStage ?? null,
    signoffs: input.signoffs.map((s) => ({ role: s.role, actor: s.actor, at: iso(s.at) })),
    waivers: input.waivers.map((w) => ({
      gate: w.gate,
      actor: w.actor,
      reason: w.reason,
      expires: iso(w.expires),
    })),
    criteria: input.criteria.map((c) => ({
      id: c.id,
      title: c.title,
      group: c.group,
      severity: c.severity,
      status: c.status,
      // NaN / ±Inf have no JSON form; null is what the record can say (status says why).
      value: typeof c.value === 'number' && !Number.isFinite(c.value) ? null : c.value,
      threshold: c.threshold,
      observed_at: isoOrNull(c.observedAt),
      ...(c.owner !== undefined ? { owner: c.owner } : {}),
      ...(c.runbook !== undefined ? { runbook: c.runbook } : {}),
      ...(c.description !== undefined ? { description: c.description } : {}),
      ...(c.judgment !== undefined ? { value_text: c.value_text, judgment: c.judgment } : {}),
    })),
    ...(input.score ? { score: { value: input.score.value, pass: input.score.pass, warning: input.score.warning } } : {}),
    ...(input.override ? { override: input.override } : {}),
    prev_hash: prevHash,
  });
  return { ...body, hash: hashDecisionRecord(body) };
}

export function decisionRecordText(record: DecisionRecord): string {
  return JSON.stringify(record, null, 2) + '\n';
}

/** `20261123T140000Z_go_nogo.json` for a time in ms. */
export function decisionFileName(ms: number, n = 1): string {
  const stamp = new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
  return `${stamp}${n > 1 ? `_${n}` : ''}${DECISION_SUFFIX}`;
}

/**
 * Writes the record atomically as `<dir>/<UTC stamp>_go_nogo.json` (`_2`, `_3` … when taken):
 * temp file, fsync, no-clobber link (or rename), fsync of the directory. The stamp is the
 * record's timestamp (the clock's time if that is unparsable). With `opts.name`, writes
 * exactly that name (replacing a file of that name), for retrying a name already announced.
 */
export async function writeDecisionRecord(
  dir: string,
  record: DecisionRecord,
  clock: Clock = systemClock,
  opts: { name?: string } = {},
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const text = decisionRecordText(record);
  const ts = Date.parse(record.timestamp);
  const at = Number.isFinite(ts) ? ts : clock.now();
  const first = opts.name ?? decisionFileName(at);
  const tmp = join(dir, `${first}.tmp`);
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(text, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    let final: string;
    if (opts.name) {
      final = join(dir, opts.name);
      await rename(tmp, final);
    } else {
      final = await placeNoClobber(dir, tmp, at);
    }
    await fsyncDir(dir);
    return final;
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}

async function placeNoClobber(dir: string, tmp: string, at: number): Promise<string> {
  for (let n = 1; n < 10_000; n++) {
    const final = join(dir, decisionFileName(at, n));
    try {
      // link fails with EEXIST instead of replacing: two decisions in one second never clobber.
      await link(tmp, final);
      await unlink(tmp);
      return final;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'ENOSYS') throw e;
      // Filesystems without hard links: check, then rename.
      if (await exists(final)) continue;
      await rename(tmp, final);
      return final;
    }
  }
  throw new Error(`too many decision records for ${decisionFileName(at)}`);
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

/** Names handed out but maybe not yet on disk, per directory, so two quick decisions differ. */
const reserved = new Map<string, Set<string>>();

function reserveName(dir: string, at: number): string {
  let set = reserved.get(dir);
  if (!set) reserved.set(dir, (set = new Set()));
  for (let n = 1; ; n++) {
    const name = decisionFileName(at, n);
    if (!set.has(name) && !existsSync(join(dir, name))) {
      set.add(name);
      return name;
    }
  }
}

export interface RecordedDecision {
  record: DecisionRecord;
  /** The ledger `decision` line, appended at once. */
  line: LedgerLine;
  /** Resolves with the file path once written; retried with backoff (1 s → 30 s) until then. */
  written: Promise<string>;
  /** Latest write error of the record file, if any (cleared on success). */
  lastError(): string | undefined;
}

/**
 * The whole decision flow: build the record chained to the ledger's current hash, append the
 * ledger `decision` line naming the file and record hash at once (so the decision is never
 * lost), then write the file, retrying until it is on disk.
 */
export function recordDecision(
  ledger: Ledger,
  dir: string,
  input: DecisionInput,
  clock: Clock = systemClock,
  /** Told once, on the first failed write (the retries go on). */
  onFirstFailure?: (error: string) => void,
): RecordedDecision {
  const record = buildDecisionRecord(input, ledger.lastHash());
  const name = reserveName(dir, input.at);
  const line = ledger.append({
    type: 'decision',
    decision: record.decision,
    id: record.id,
    file: name,
    record_hash: record.hash,
    justification: record.justification,
    next_review: record.next_review,
    // On the line too, so `report` shows it from the ledger alone.
    ...(record.score ? { score: record.score } : {}),
    // The ledger line names the approvers too, so report needs no record file to show them.
    ...(input.override ? { override: summaryOnly(input.override) } : {}),
    actor: input.decidedBy,
    ...(input.role ? { role: input.role } : {}),
  });
  let error: string | undefined;
  let path: string | undefined;
  // Quitting stops this loop and settles the record (pendingRecords.ts): written, or rescued.
  const stopped = new AbortController();
  let untrack: () => void = () => undefined;
  const writeNow = async () => {
    path = await writeDecisionRecord(dir, record, clock, { name });
    error = undefined;
    reserved.get(dir)?.delete(basename(path));
    untrack();
    return path;
  };
  const written = (async () => {
    let backoff = 1000;
    for (;;) {
      try {
        return await writeNow();
      } catch (e) {
        if (error === undefined && backoff === 1000) onFirstFailure?.(`cannot write ${join(dir, name)}: ${(e as Error).message}`);
        error = `cannot write ${join(dir, name)}: ${(e as Error).message}`;
        await sleep(clock, backoff, stopped.signal).catch(() => {
          throw new Error(`${error}; left to the exit path`);
        });
        backoff = Math.min(backoff * 2, 30_000);
      }
    }
  })();
  untrack = trackPending({
    dir,
    name,
    text: decisionRecordText(record),
    stop: async () => {
      stopped.abort();
      await written.catch(() => undefined);
    },
    writtenPath: () => path,
    writeNow,
    lastError: () => error,
  });
  return { record, line, written, lastError: () => error };
}

function summaryOnly(o: OverrideSummary & { criteria?: unknown[] }): OverrideSummary {
  const { criteria: _snapshot, ...rest } = o;
  return rest;
}
