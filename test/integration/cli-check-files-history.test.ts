/**
 * `warroom check` on `files` gates with history rules and `field`: real folders, real files,
 * real modification times (utimes), judged by the compiled binary.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

let root: string;
let n = 0;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'warroom-files-history-'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

type Spec = [name: string, hoursAgo: number, content: string | object];

/** A fresh folder holding `files`, each with its mtime `hoursAgo` before now. */
function folder(files: Spec[]): string {
  const dir = join(root, `case-${++n}`);
  mkdirSync(dir);
  const now = Date.now();
  for (const [name, h, content] of files) {
    const p = join(dir, name);
    writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
    const t = (now - h * 3600_000) / 1000;
    utimesSync(p, t, t);
  }
  return dir;
}

interface Criterion {
  id: string;
  status: string;
  value: unknown;
  reason: string;
}

async function check(dir: string, gate: string): Promise<{ code: number | null; overall: string; c: Criterion }> {
  const file = join(root, `config-${++n}.yaml`);
  writeFileSync(
    file,
    `version: 1
deployment: { name: d, environment: production }
sources:
  reports: { type: files, path: ${JSON.stringify(dir)}, interval: 1m }
gates:
  - ${gate}
audit: { dir: ${JSON.stringify(join(root, 'audit'))} }
`,
  );
  const r = await runCli(['check', '--strict', '--format', 'json', '--config', file], { timeoutMs: 20_000 });
  let report: { overall: string; criteria: Criterion[] };
  try {
    report = JSON.parse(r.stdout);
  } catch {
    throw new Error(`check printed no JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`);
  }
  return { code: r.code, overall: report.overall, c: report.criteria[0]! };
}

const VALIDATIONS = '{ id: validations, source: reports, consecutive: 2, no_failures_within: 72h, max_age: 24h, go: "== PASS" }';
const pass = { status: 'PASS' };
const fail = { status: 'FAIL' };

describe('files history through warroom check', () => {
  it('two newest PASS, no failure in 72h, fresh: GO, with the history in the reason', async () => {
    const dir = folder([['run-3.json', 1, pass], ['run-2.json', 25, pass], ['run-1.json', 80, fail]]);
    const { code, overall, c } = await check(dir, VALIDATIONS);
    expect(c).toMatchObject({ status: 'PASS', value: 'PASS' });
    expect(c.reason).toBe('PASS == PASS; history: newest 2 PASS; 2 files within 72h, none failed');
    expect(overall).toBe('GO');
    expect(code).toBe(0);
  });

  it('a FAIL inside the window is NO-GO even when the newest two pass', async () => {
    const dir = folder([['run-4.json', 1, pass], ['run-3.json', 2, pass], ['run-2.json', 48, fail], ['run-1.json', 100, pass]]);
    const { code, overall, c } = await check(dir, VALIDATIONS);
    expect(c.status).toBe('FAIL');
    expect(c.reason).toMatch(/^run-2\.json is "FAIL", modified 48h\S* ago: no failures allowed within 72h$/);
    expect(overall).toBe('NO-GO');
    expect(code).toBe(2);
  });

  it('the second newest not PASS fails consecutive', async () => {
    const dir = folder([['b.json', 1, pass], ['a.json', 2, { status: 'ERROR' }]]);
    const { c } = await check(dir, '{ id: validations, source: reports, consecutive: 2, go: "== PASS" }');
    expect(c).toMatchObject({ status: 'FAIL', reason: 'a.json is "ERROR": the newest 2 must all be PASS' });
  });

  it('fewer files than consecutive asks for is a FAIL that says so', async () => {
    const dir = folder([['only.json', 1, pass]]);
    const { code, c } = await check(dir, VALIDATIONS);
    expect(c).toMatchObject({ status: 'FAIL', reason: 'only 1 file: consecutive: 2 needs the newest 2 to be PASS' });
    expect(code).toBe(2);
  });

  it('a clean history does not excuse a stale newest report (max_age)', async () => {
    const dir = folder([['b.json', 30, pass], ['a.json', 31, pass]]);
    const { c } = await check(dir, VALIDATIONS);
    expect(c.status).toBe('FAIL');
    expect(c.reason).toMatch(/^newest is 30h(0m)? old \(max 24h\)/);
  });

  it('a broken file inside the window is UNKNOWN naming it (it could be the FAIL); no crash', async () => {
    const dir = folder([['c.json', 1, pass], ['b.json', 2, pass], ['a.json', 3, '{"status": "PA']]);
    const { code, overall, c } = await check(dir, VALIDATIONS);
    expect(c).toMatchObject({ status: 'UNKNOWN', reason: 'no_failures_within: 72h: not JSON: a.json' });
    expect(overall).toBe('NO-GO');
    expect(code).toBe(2);
  });

  it('a future mtime counts inside the window', async () => {
    const dir = folder([['b.json', 1, pass], ['a.json', 2, pass], ['future.json', -5, fail]]);
    const { c } = await check(dir, '{ id: validations, source: reports, no_failures_within: 72h, go: "== PASS" }');
    expect(c.status).toBe('FAIL');
    expect(c.reason).toContain('future.json is "FAIL"');
  });
});

describe('field through warroom check', () => {
  const SCORECARD = '{ id: scorecard, source: reports, field: summary.passed, go: "== true" }';
  it('thresholds a field of the newest file', async () => {
    const dir = folder([['new.json', 1, { summary: { passed: true, score: 0.93 } }], ['old.json', 5, { summary: { passed: false } }]]);
    expect((await check(dir, SCORECARD)).c).toMatchObject({ status: 'PASS', value: true });
    expect((await check(dir, '{ id: score, source: reports, field: summary.score, go: ">= 0.95", warn: ">= 0.9" }')).c).toMatchObject({ status: 'WARN', value: 0.93 });
  });

  it('false fails; a missing field or bad JSON is UNKNOWN with the reason', async () => {
    expect((await check(folder([['s.json', 1, { summary: { passed: false } }]]), SCORECARD)).c).toMatchObject({ status: 'FAIL', value: false });
    expect((await check(folder([['s.json', 1, { summary: {} }]]), SCORECARD)).c).toMatchObject({ status: 'UNKNOWN', reason: 'no "summary.passed" field in s.json' });
    const broken = await check(folder([['s.json', 1, '\u001b[2J{not json']]), SCORECARD);
    expect(broken.c).toMatchObject({ status: 'UNKNOWN', reason: 'not JSON: s.json' });
    expect(broken.code).toBe(2);
  });
});
