/**
 * A decision record whose write fails must not be lost on quit (issue 21 #10), on the real
 * binary in tmux. The record's file cannot be created while a directory sits where its
 * temporary file goes (as a read-only or full disk would refuse it; chmod does not stop root).
 * Still failing at quit: exit 74, the record in a rescue file named on stderr, byte for byte
 * the record its ledger line announced. A blip that is over by quit: the exit writes it, and
 * `audit verify` passes.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { runCli } from '../helpers/cli.js';
import { entropyGate, eventually, startConsole, startSim, writeE2eConfig, type E2eWorkspace, type Simulator } from '../helpers/e2e.js';
// SPEC §5's canonical JSON, written in the test helpers from the contract (keys sorted, no whitespace).
import { canonical } from '../helpers/forge.js';
import type { Tmux } from '../helpers/tmux.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));


let sim: Simulator;
beforeAll(async () => {
  sim = await startSim({ speed: 20 });
});
afterAll(async () => {
  await sim?.stop();
});
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** `20261207T120000Z_go_nogo.json` as SPEC §5 names a record taken at `ms`. */
const recordName = (ms: number) => `${new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z')}_go_nogo.json`;

/** Directories where the next minute's records would put their temporary files. */
function blockRecordWrites(auditDir: string): () => void {
  const paths: string[] = [];
  const start = Date.now() - 2_000;
  for (let s = 0; s < 60; s++) {
    const p = join(auditDir, `${recordName(start + s * 1000)}.tmp`);
    mkdirSync(p, { recursive: true });
    paths.push(p);
  }
  return () => paths.forEach((p) => rmSync(p, { recursive: true, force: true }));
}

async function holdDecision(t: Tmux, ws: E2eWorkspace): Promise<{ file: string; record_hash: string }> {
  t.send('d');
  await t.waitFor(/RECORD DECISION/, 5_000, 'the decision prompt');
  t.send('h');
  await t.waitFor(/justification: _/, 5_000, 'the justification prompt');
  t.type('waiting for the db failover drill');
  t.send('Enter');
  await t.waitFor(/Writes the decision record/, 5_000, 'the decision confirm screen');
  await sleep(300);
  t.send('y');
  await t.waitFor(/decision HOLD recorded/, 5_000, 'the decision recorded');
  const decisionLine = () => ws.ledger().find((l) => l.type === 'decision') as { file: string; record_hash: string } | undefined;
  await eventually(() => decisionLine() !== undefined, 5_000, 'the decision line in the ledger');
  return decisionLine()!;
}

async function quit(t: Tmux): Promise<number> {
  t.send('q');
  await sleep(500);
  if (/y to (quit|confirm)|NOT SAVED/.test(t.capture())) t.send('y');
  return t.exitCode(20_000);
}

function open(): { ws: E2eWorkspace; t: Tmux } {
  const ws = writeE2eConfig(sim, { gates: [entropyGate()] });
  cleanups.push(() => ws.cleanup());
  mkdirSync(ws.auditDir, { recursive: true });
  const t = startConsole(ws.configPath, { cols: 140, rows: 40 });
  cleanups.push(() => t.stop());
  return { ws, t };
}

describe('a decision record whose write fails is never lost on quit', () => {
  it('still failing at quit: exit 74, the record in a rescue file named on stderr', async () => {
    const { ws, t } = open();
    await t.waitFor(/Policy entropy/, 10_000, 'the grid');
    const unblock = blockRecordWrites(ws.auditDir);
    cleanups.push(unblock);
    const line = await holdDecision(t, ws);
    await t.waitFor(/decision record NOT SAVED yet \(retrying; quitting writes it to a rescue file\)/, 5_000, 'the failed write said at once');
    await sleep(1_500); // the first attempt and its first retry have failed
    expect(ws.auditFiles()).not.toContain(line.file);
    expect(await quit(t)).toBe(74);
    const screen = t.capture();
    expect(screen).toContain(`DECISION RECORD NOT SAVED: ${line.file}`);
    const rescue = ws.auditFiles().find((f) => f.startsWith(line.file.replace(/\.json$/, '.rescue-')));
    expect(rescue, ws.auditFiles().join(' ')).toBeDefined();
    expect(screen.replace(/\n/g, '')).toContain(rescue!);
    // The rescued record is the one the ledger announced: its hash (SPEC §5, over the canonical
    // JSON without `hash`) is the line's record_hash.
    const record = JSON.parse(readFileSync(join(ws.auditDir, rescue!), 'utf8')) as Record<string, unknown>;
    const { hash, ...rest } = record;
    const computed = `sha256:${createHash('sha256').update(canonical(rest)).digest('hex')}`;
    expect(computed).toBe(hash);
    expect(hash).toBe(line.record_hash);
    expect(record).toMatchObject({ decision: 'HOLD', justification: 'waiting for the db failover drill' });
  }, 60_000);

  it('a blip over by quit: the exit writes the record, exit 0, audit verify passes', async () => {
    const { ws, t } = open();
    await t.waitFor(/Policy entropy/, 10_000, 'the grid');
    const unblock = blockRecordWrites(ws.auditDir);
    const line = await holdDecision(t, ws);
    await sleep(1_500);
    expect(ws.auditFiles()).not.toContain(line.file);
    unblock();
    expect(await quit(t)).toBe(0);
    expect(ws.auditFiles()).toContain(line.file);
    const verify = await runCli(['audit', 'verify', '--dir', ws.auditDir]);
    expect(verify.stdout + verify.stderr).not.toMatch(/missing/i);
    expect(verify.code).toBe(0);
  }, 60_000);
});
