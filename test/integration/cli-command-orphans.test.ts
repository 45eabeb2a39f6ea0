/**
 * Issue 11 case 7 through the real binary: a command that backgrounds a child, and one whose
 * child escapes the process group with setsid. Nothing survives the check run, and the escape
 * is reported on the gate.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { killAll, pidsWithArgv, settle } from '../helpers/procs.js';

let dir: string;
const leftovers: string[][] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'warroom-orphans-'));
});
afterEach(() => {
  for (const argv of leftovers.splice(0)) killAll(pidsWithArgv(argv));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function check(argv: string): Promise<{ code: number | null; report: { criteria: { id: string; status: string; reason: string }[] } }> {
  const cfg = join(dir, `c-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(
    cfg,
    `version: 1
deployment: { name: orphans, environment: test }
sources:
  pre: { type: command, argv: [sh, -c, ${JSON.stringify(argv)}], timeout: 10s }
gates:
  - { id: preflight, source: pre }
`,
  );
  const r = await runCli(['check', '--strict', '--format', 'json', '--config', cfg], { timeoutMs: 20_000 });
  return { code: r.code, report: JSON.parse(r.stdout) as never };
}

describe('command sources leave no process behind', () => {
  it('a backgrounded child is killed with its process group when the run ends', async () => {
    const argv = ['sleep', '3201'];
    leftovers.push(argv);
    const { code, report } = await check('sleep 3201 & echo 0');
    expect(code).toBe(0);
    expect(report.criteria[0]!.status).toBe('PASS');
    await settle(200);
    expect(pidsWithArgv(argv)).toEqual([]);
  });

  it('a child that escapes with setsid is killed and reported on the gate', async () => {
    const argv = ['sleep', '3202'];
    leftovers.push(argv);
    // The pause lets setsid take effect before the leader exits.
    const { report } = await check('setsid sleep 3202 & sleep 0.5; echo 0');
    const c = report.criteria[0]!;
    expect(c.reason).toMatch(/a process escaped the process group \(setsid\): pid \d+ killed/);
    await settle(200);
    expect(pidsWithArgv(argv)).toEqual([]);
  });
});
