/** `warroom report --format html|json` on audit dirs as they are found: history alone, nothing, a bad format. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

describe('report --format', () => {
  it('a window where nobody acted (history, no ledger) still gets its charts, marked unverified; Markdown still needs a ledger', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warroom-report-window-'));
    dirs.push(dir);
    const t = Date.parse('2026-12-07T10:00:00Z');
    writeFileSync(
      join(dir, 'history.jsonl'),
      [
        { k: 'meta', v: 1, t, deployment: 'quiet-window', environment: 'prod', actor: 'alice', gates: [{ id: 'entropy', title: 'Policy entropy', group: 'Policy health', severity: 'critical', go: '>= 0.9', warn: '>= 0.8' }] },
        { t, g: 'entropy', s: 'PASS', v: 0.95, th: '>= 0.9 (warn >= 0.8)' },
        { t: t + 600_000, g: 'entropy', s: 'WARN', v: 0.85 },
        { t: t + 1_200_000, g: 'entropy', s: 'PASS', v: 0.93 },
      ].map((l) => JSON.stringify(l)).join('\n') + '\n',
    );
    const out = join(dir, 'r.html');
    const r = await runCli(['report', '--format', 'html', '--dir', dir, '--output', out]);
    expect(r.code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('Post-deploy report: quiet-window (prod)');
    expect(html).toContain('Integrity: <span class="failed">FAILED</span>');
    expect(html).toContain('no act was recorded in this window');
    expect(html).toMatch(/Not GO: <span class="badge warn">WARN<\/span> 10:10:00–10:20:00/);
    const json = JSON.parse((await runCli(['report', '--format', 'json', '--dir', dir])).stdout) as { gates: { points: unknown[] }[] };
    expect(json.gates[0]!.points).toHaveLength(3);
    const md = await runCli(['report', '--dir', dir]);
    expect(md.code).toBe(64);
  });

  it('no audit dir is a usage error with one sentence; an unknown format is refused', async () => {
    const missing = join(tmpdir(), 'warroom-no-such-dir-for-report');
    const r = await runCli(['report', '--format', 'html', '--dir', missing]);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/audit directory .* not found/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const bad = await runCli(['report', '--format', 'svg', '--dir', missing]);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toMatch(/--format must be md, html or json \(got "svg"\)/);
  });
});
