import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction, newIdempotencyKey, type StepEvent } from '../../src/actions/executor.js';
import type { ArgvActionConfig } from '../../src/config/types.js';
import type { Reading } from '../../src/core/types.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'warroom-actions-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const node = process.execPath;

function argvAction(argv: string[], over: Partial<ArgvActionConfig> = {}): ArgvActionConfig {
  return { kind: 'argv', argv, timeout: 5000, retries: 0, ...over };
}
function run(config: ArgvActionConfig, params: { actor: string; reason?: string; pct?: number }, deps: Parameters<typeof runAction>[1] = {}, secrets?: string[]) {
  return runAction({ name: 'set_influence', config, params, idempotencyKey: newIdempotencyKey(), secrets }, deps);
}

describe('runAction with argv', () => {
  it('runs without a shell: spaces, semicolons and $() arrive as literal single arguments', async () => {
    const out = join(dir, 'args.json');
    const script = "require('fs').writeFileSync(process.argv[1], JSON.stringify({args: process.argv.slice(2), key: process.env.WARROOM_IDEMPOTENCY_KEY}))";
    const events: StepEvent[] = [];
    const key = newIdempotencyKey();
    const res = await runAction(
      {
        name: 'set_influence',
        config: argvAction([node, '-e', script, out, 'PCT={{pct}}', '{{reason}}', 'by {{actor}}']),
        params: { actor: 'alice smith', reason: 'x; touch pwned && echo $(id) `id` | cat > y', pct: 25 },
        idempotencyKey: key,
      },
      { onStep: (e) => events.push(e) },
    );
    expect(res).toMatchObject({ ok: true, step: 'acknowledged', attempts: 1, exitCode: 0 });
    expect(events.map((e) => e.step)).toEqual(['sending', 'sent', 'acknowledged']);
    const got = JSON.parse(readFileSync(out, 'utf8'));
    expect(got.args).toEqual(['PCT=25', 'x; touch pwned && echo $(id) `id` | cat > y', 'by alice smith']);
    expect(got.key).toBe(key);
    expect(existsSync(join(process.cwd(), 'pwned'))).toBe(false);
  });

  it('acknowledges exit 0 with the stdout tail in the detail', async () => {
    const events: StepEvent[] = [];
    const res = await run(argvAction([node, '-e', "console.log('influence now 10')"]), { actor: 'a' }, { onStep: (e) => events.push(e) });
    expect(res.ok).toBe(true);
    expect(events.find((e) => e.step === 'acknowledged')!.detail).toMatch(/^exit 0 from .*: influence now 10$/);
  });

  it('retries a non-zero exit and fails with the exit code and the stderr tail', async () => {
    const counter = join(dir, 'count.txt');
    const script = `const fs=require('fs');fs.appendFileSync(${JSON.stringify(counter)},'x');console.error('cannot reach control plane');process.exit(3)`;
    const t0 = Date.now();
    const res = await run(argvAction([node, '-e', script], { retries: 1 }), { actor: 'a' });
    expect(res).toMatchObject({ ok: false, step: 'sent', attempts: 2, exitCode: 3 });
    expect(res.error).toMatch(/^set influence failed \(after 2 attempts\): exit 3 from .*: cannot reach control plane$/);
    expect(readFileSync(counter, 'utf8')).toBe('xx');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(240);
  });

  it('times out, kills the whole process group, and says so', async () => {
    const marker = join(dir, 'grandchild-survived');
    // The child starts a grandchild that would write the marker after 1.2 s, then hangs.
    const script = `require('child_process').spawn(process.execPath, ['-e', "setTimeout(()=>require('fs').writeFileSync(${JSON.stringify(
      marker,
    ).replace(/"/g, "'")},'x'),1200)"], {stdio:'ignore'}); setTimeout(()=>{}, 60000)`;
    const t0 = Date.now();
    const res = await run(argvAction([node, '-e', script], { timeout: 300 }), { actor: 'a' });
    expect(Date.now() - t0).toBeLessThan(2500);
    expect(res.ok).toBe(false);
    expect(res.error).toMatch(/^set influence failed: timed out after 300ms: /);
    await new Promise((r) => setTimeout(r, 1500));
    expect(existsSync(marker)).toBe(false);
  });

  it('says "command not found" for a missing program', async () => {
    const res = await run(argvAction(['warroom-no-such-command-xyz', 'a']), { actor: 'a' });
    expect(res).toMatchObject({ ok: false, step: 'sending', attempts: 1 });
    expect(res.error).toBe('set influence failed: command not found: warroom-no-such-command-xyz');
  });

  it('verifies through the caller-supplied reader', async () => {
    const state = join(dir, 'influence.txt');
    const script = `setTimeout(()=>require('fs').writeFileSync(process.argv[1], process.argv[2]), 150)`;
    const read = async (): Promise<Reading> => {
      try {
        return { value: Number(readFileSync(state, 'utf8')), observedAt: Date.now() };
      } catch (e) {
        return { value: null, observedAt: Date.now(), error: (e as Error).message };
      }
    };
    const res = await run(
      argvAction([node, '-e', `require('fs').writeFileSync(process.argv[1], '10')`, state]),
      { actor: 'a' },
    );
    expect(res.ok).toBe(true);
    const events: StepEvent[] = [];
    const res2 = await run(
      argvAction([node, '-e', script, state, '{{pct}}'], {
        verify: { source: 'files', key: 'influence', expect: '== {{pct}}', within: 3000 },
      }),
      { actor: 'a', pct: 50 },
      { readVerify: read, verifyPollMs: 50, onStep: (e) => events.push(e) },
    );
    expect(res2).toMatchObject({ ok: true, step: 'verified', verifiedValue: 50 });
    expect(events.map((e) => e.step)).toEqual(['sending', 'sent', 'acknowledged', 'verifying', 'verified']);
  });

  it('keeps secrets and control sequences out of errors from process output', async () => {
    const script = "console.error('token=Zq9-secret-77 \\u001b[2J\\u001b]0;title\\u0007 denied'); process.exit(1)";
    const res = await run(argvAction([node, '-e', script]), { actor: 'a' }, {}, ['Zq9-secret-77']);
    expect(res.ok).toBe(false);
    expect(res.error).toContain('token=[redacted]');
    expect(res.error).toContain('denied');
    expect(res.error).not.toContain('Zq9-secret-77');
    expect(res.error).not.toMatch(/[\u001b\u0007]/);
  });

  it('abort kills the running process and reports cancelled', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const t0 = Date.now();
    const res = await run(argvAction([node, '-e', 'setTimeout(()=>{}, 30000)'], { retries: 3 }), { actor: 'a' }, { signal: ac.signal });
    expect(res).toMatchObject({ ok: false, error: 'cancelled', attempts: 1 });
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('refuses an empty argv without running anything', async () => {
    const res = await run(argvAction([]), { actor: 'a' });
    expect(res).toMatchObject({ ok: false, step: 'failed', attempts: 0 });
    expect(res.error).toMatch(/argv is empty/);
  });
});
