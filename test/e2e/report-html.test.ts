/**
 * Issue 26 on the real binary: a console window in tmux (sign-off, influence change, a gate
 * going red, kill), quit, then `report --format html` checked for content and self-containment,
 * and rendered by headless Chromium to a PNG whose size and pixels prove it was drawn. A
 * hostile gate title and feed value stay text, and the browser fetches nothing.
 */
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { screenshot } from '../helpers/chromium.js';
import { ACTOR, entropyGate, eventually, headerInfluence, qSpreadGate, setInfluence, setScenario, startConsole, startSim, writeE2eConfig, removeWhenQuiet } from '../helpers/e2e.js';
import { startFeedServer } from '../helpers/feedServer.js';
import { countColour, decodePng } from '../helpers/png.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const ONCALL = { id: 'oncall_ack', title: 'On-call engineer ACK', group: 'Readiness', source: 'manual', signoff_role: 'on_call' };
const RAMP = { start: 'manual', max_step: 25, stages: [{ influence: 10, hold: '2h', checkpoints: [{ at: '30m', label: 'Check for any alerts' }] }, { influence: 25, hold: '1h' }] };

/** Opens a confirm screen and waits out the 150 ms in which a confirm key does not count. */
async function confirm(t: ReturnType<typeof startConsole>, keys: string[], screen: RegExp): Promise<void> {
  t.send(...keys);
  await t.waitFor(screen, 8_000, `confirm ${screen}`);
  await sleep(300);
  t.send('y');
}

describe('report --format html (issue 26)', () => {
  it('a real window (sign-off, influence 10%, entropy red, kill) gives a self-contained HTML report that Chromium draws', async () => {
    const sim = await startSim({ speed: 20 });
    cleanups.push(() => sim.stop());
    await setInfluence(sim, 0);
    const ws = writeE2eConfig(sim, { gates: [entropyGate(), qSpreadGate(), ONCALL], decision: { unknown: 'nogo', require_signoffs: ['on_call'] }, ramp: RAMP });
    cleanups.push(() => ws.cleanup());
    const t = startConsole(ws.configPath, { cols: 120, rows: 36 });
    cleanups.push(() => t.stop());
    await t.waitFor(/● GO\s+Policy entropy/, 15_000, 'entropy GO');

    // Sign off the on-call gate (third row).
    t.send('j');
    await sleep(150);
    t.send('j');
    await confirm(t, ['s'], /SIGN OFF "On-call engineer ACK" as on_call/);
    await t.waitFor(/signed off as on_call/, 5_000, 'the sign-off');
    await sleep(2_000);

    // Influence 0 → 10 %.
    t.send('i');
    await t.waitFor(/new influence %/, 5_000, 'the influence prompt');
    t.type('10');
    t.send('Enter');
    const next = await t.waitFor(/SET INFLUENCE 0% → 10%|reason required/, 5_000, 'the influence confirm or reason');
    if (/reason required/.test(next)) {
      t.type('canary stage one');
      t.send('Enter');
      await t.waitFor(/SET INFLUENCE 0% → 10%/, 5_000, 'the influence confirm');
    }
    await sleep(300);
    t.send('y');
    await t.waitFor(/influence 0% → 10%:.*VERIFIED/, 20_000, 'influence VERIFIED');
    await t.waitFor((s) => headerInfluence(s) === 10, 5_000, 'header influence 10%');

    // Entropy collapses; the kill-switch.
    await setScenario(sim, 'entropy-collapse');
    await t.waitFor(/● NO-GO\s+Policy entropy/, 30_000, 'entropy NO-GO');
    await sleep(1_500);
    await confirm(t, ['K'], /KILL-SWITCH: influence 10% → 0%/);
    await t.waitFor(/KILL-SWITCH 10% → 0%:.*VERIFIED/, 20_000, 'kill VERIFIED');
    await sleep(1_500);
    t.send('q');
    expect(await t.exitCode(15_000)).toBe(0);

    // The history was kept beside the ledger, and written at quit.
    expect(ws.auditFiles()).toContain('history.jsonl');
    const history = readFileSync(join(ws.auditDir, 'history.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(history[0]).toMatchObject({ k: 'meta', deployment: 'rl-policy-e2e', actor: ACTOR });
    // Red for longer than 10 s is a FAIL point; shorter, it is kept as the worst status (w) of the next one.
    expect(history.some((l) => l.g === 'entropy' && (l.s === 'FAIL' || l.w === 'FAIL'))).toBe(true);
    expect(history.some((l) => l.i === 10)).toBe(true);
    expect(history[history.length - 1]).toMatchObject({ k: 'stop' });
    expect(history.some((l) => l.i === 0 && (l.t as number) > (history.find((x) => x.i === 10)!.t as number))).toBe(true);

    const out = join(ws.dir, 'window.html');
    const r = await runCli(['report', '--format', 'html', '--dir', ws.auditDir, '--output', out]);
    expect(r.code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\s(?:src|href)="(?!#)/i);
    expect(html.match(/url\([^)]*\)/g)!.every((u) => u.startsWith('url(#'))).toBe(true);
    for (const text of ['Post-deploy report: rl-policy-e2e (e2e)', 'sign-off on_call on oncall_ack', 'influence 0% → 10% verified', 'kill-switch verified', 'Policy entropy', 'Q-value spread vs baseline', 'stage 1 · 10%', 'Integrity: <span class="ok">OK</span>', ACTOR])
      expect(html).toContain(text);
    expect(html).toContain('<div class="word nogo">KILLED</div>');
    expect(html).toMatch(/<text class="ribbon-word"[^>]*>NO-GO<\/text>/);

    // JSON carries the same model; Markdown stays the default.
    const json = JSON.parse((await runCli(['report', '--format', 'json', '--dir', ws.auditDir])).stdout) as { gates: { id: string }[]; marks: { kind: string; actor: string }[] };
    expect(json.gates.map((g) => g.id)).toEqual(['entropy', 'q_spread', 'oncall_ack', 'feed_page_alerts']);
    expect(json.marks.filter((m) => m.kind === 'kill')).toEqual([expect.objectContaining({ actor: ACTOR })]);
    expect((await runCli(['report', '--dir', ws.auditDir])).stdout).toMatch(/^# Post-deploy report: rl-policy-e2e/);
    expect((await runCli(['report', '--format', 'pdf', '--dir', ws.auditDir])).code).toBe(64);

    const png = join(ws.dir, 'window.png');
    await screenshot(out, png);
    expect(statSync(png).size).toBeGreaterThan(40_000);
    if (process.env.WARROOM_KEEP_PNG) writeFileSync(process.env.WARROOM_KEEP_PNG, readFileSync(png));
    const img = decodePng(readFileSync(png));
    expect([img.width, img.height]).toEqual([1280, 2000]);
    expect(img.pixel(2, 2)).toEqual([255, 255, 255, 255]);
    // The KILLED box and NO-GO ribbons (red), the GO ribbons (green), the influence line (blue).
    expect(countColour(img, '#cf222e', 16, 2)).toBeGreaterThan(800);
    expect(countColour(img, '#1a7f37', 16, 2)).toBeGreaterThan(800);
    expect(countColour(img, '#0969da', 30, 1)).toBeGreaterThan(150);
  }, 150_000);

  it('a hostile gate title and feed value stay text, and rendering the report fetches nothing', async () => {
    let fetched = 0;
    const server: Server = createServer((_req, res) => {
      fetched++;
      res.end('x');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const port = (server.address() as AddressInfo).port;
    const title = `<script>alert(1)</script><img src="http://127.0.0.1:${port}/title.png"><style>@import url(http://127.0.0.1:${port}/x.css);</style>`;
    const value = `<img src=http://127.0.0.1:${port}/v>`;

    const feed = await startFeedServer();
    cleanups.push(() => feed.stop());
    const dir = mkdtempSync(join(tmpdir(), 'warroom-e2e-report-'));
    cleanups.push(() => removeWhenQuiet(dir));
    const configPath = join(dir, 'warroom.yaml');
    writeFileSync(
      configPath,
      stringify({
        version: 1,
        deployment: { name: 'hostile-report', environment: 'e2e' },
        sources: { feed: { type: 'websocket', url: feed.url } },
        gates: [{ id: 'build_note', title, group: 'Readiness', source: 'feed', key: 'build.note', go: '== ok' }],
        decision: { unknown: 'nogo' },
        audit: { dir: join(dir, 'audit') },
      }),
    );
    const t = startConsole(configPath, { cols: 120, rows: 36 });
    cleanups.push(() => t.stop());
    await feed.waitFor((m) => (m as { type?: string }).type === 'resume', 15_000);
    feed.send({ type: 'status', seq: 1, ts: new Date().toISOString(), key: 'build.note', value });
    await t.waitFor(/NO-GO\s+<script>alert\(1\)/, 10_000, 'the hostile gate NO-GO');
    // A report needs a ledger: one HOLD decision.
    await sleep(1_000);
    t.send('d');
    await t.waitFor(/g GO · n NO-GO · h HOLD/, 5_000, 'the decision choice');
    t.send('h');
    await t.waitFor(/justification:/, 5_000, 'the justification prompt');
    t.type('hostile title check');
    t.send('Enter');
    await t.waitFor(/RECORD DECISION: HOLD[\s\S]*y to confirm/, 5_000, 'the decision confirm');
    await sleep(300);
    t.send('y');
    await eventually(() => { try { return readFileSync(join(dir, 'audit', 'ledger.jsonl'), 'utf8').includes('"decision":"HOLD"'); } catch { return false; } }, 10_000, 'the HOLD decision line');
    t.send('q');
    expect(await t.exitCode(15_000)).toBe(0);

    const out = join(dir, 'window.html');
    expect((await runCli(['report', '--format', 'html', '--dir', join(dir, 'audit'), '--output', out])).code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<style>@import/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=&quot;http://127.0.0.1:');
    expect(html).toContain(`(value &lt;img src=http://127.0.0.1:${port}/v&gt;)`);
    await screenshot(out, join(dir, 'window.png'), { width: 1280, height: 1200 });
    await sleep(300);
    expect(fetched).toBe(0);
  }, 90_000);

  it('a gate history that cannot be written is said once; the console and its kill-switch go on', async () => {
    const sim = await startSim({ speed: 20 });
    cleanups.push(() => sim.stop());
    await setInfluence(sim, 10);
    const ws = writeE2eConfig(sim, { gates: [entropyGate()] });
    cleanups.push(() => ws.cleanup());
    // history.jsonl is a directory: every append fails (as a full or broken disk would make it).
    mkdirSync(join(ws.auditDir, 'history.jsonl'), { recursive: true });
    const t = startConsole(ws.configPath, { cols: 120, rows: 36 });
    cleanups.push(() => t.stop());
    await t.waitFor(/gate history not saved: cannot write .*history\.jsonl/, 15_000, 'the history warning');
    await t.waitFor((s) => headerInfluence(s) === 10, 10_000, 'influence 10%');
    await confirm(t, ['K'], /KILL-SWITCH: influence 10% → 0%/);
    await t.waitFor(/KILL-SWITCH 10% → 0%:.*VERIFIED/, 20_000, 'kill VERIFIED');
    const screen = t.capture();
    expect(screen.match(/gate history not saved/g)).toHaveLength(1);
    expect(screen.split('\n')[0]).not.toContain('AUDIT NOT SAVED');
    t.send('q');
    expect(await t.exitCode(15_000)).toBe(0);
    expect(ws.ledger().some((l) => l.action === 'kill_switch' && l.phase === 'verified')).toBe(true);
  }, 90_000);
});
