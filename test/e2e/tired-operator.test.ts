/**
 * Issue 21, the tired operator (findings 14, 15, 17-21), on the real binary in tmux: `:kill`
 * reaches the kill-switch, a text param cannot smuggle `@file` into curl's argv, `s` signs the
 * gate that waits, notices go away, the next checkpoint is named, hidden gates are counted and a
 * hidden NO-GO named, and `?` speaks of the product. (Finding 16: test/integration/cli-sink-redirect.)
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, entropyGate, eventually, lineWith, requestsTo, setInfluence, setScenario, startConsole, startSim, writeE2eConfig, type Simulator } from '../helpers/e2e.js';
import { startReceiver, type Receiver } from '../helpers/notifyReceivers.js';
import { startTmux, type Tmux } from '../helpers/tmux.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let sim: Simulator;
let hook: Receiver;
beforeAll(async () => {
  sim = await startSim({ speed: 20 });
  hook = await startReceiver();
});
afterAll(async () => {
  await hook?.stop();
  await sim?.stop();
});
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
  hook.received.length = 0;
  await setScenario(sim, 'healthy');
  await setInfluence(sim, 0);
});

/** A console on the simulator with extra runbooks (argv), at the given size. */
function consoleWith(runbooks: Record<string, unknown>, opts: { cols?: number; rows?: number; ramp?: Record<string, unknown> } = {}) {
  const ws = writeE2eConfig(sim, { gates: [entropyGate()], ...(opts.ramp ? { ramp: opts.ramp } : {}) });
  cleanups.push(() => ws.cleanup());
  const config = parse(readFileSync(ws.configPath, 'utf8')) as Record<string, Record<string, unknown>>;
  config.actions!.runbooks = runbooks;
  writeFileSync(ws.configPath, stringify(config));
  const t = startConsole(ws.configPath, { cols: opts.cols ?? 100, rows: opts.rows ?? 30 });
  cleanups.push(() => t.stop());
  return { t, ws };
}

/** `warroom demo` (the simulator embedded) in tmux. */
function demo(args: string[], cols = 80, rows = 24): Tmux {
  const t = startTmux({ command: [process.execPath, BIN, 'demo', '--actor', 'newcomer', ...args], cols, rows });
  cleanups.push(() => t.stop());
  return t;
}

async function confirmWhenShown(t: Tmux, re: RegExp): Promise<void> {
  await t.waitFor(re, 5_000, `confirm screen ${re}`);
  await sleep(300); // a confirm key counts only 150 ms after the confirm screen appeared
  t.send('y');
}

describe('14: :kill, Enter, y is the kill-switch, never a runbook titled "Kill canary pods"', () => {
  it('the kill-switch is highlighted first; Enter y kills; the runbook does not run', async () => {
    const marker = join(tmpdir(), `warroom-kill-canary-${process.pid}-${Date.now()}`);
    await setInfluence(sim, 10);
    const { t } = consoleWith({
      kill_canary: { title: 'Kill canary pods', argv: [process.execPath, '-e', 'require("fs").writeFileSync(process.argv[1], "ran")', marker] },
    });
    await t.waitFor(/influence 10%/, 10_000, 'influence 10%');
    t.send(':');
    await t.waitFor(/COMMANDS \d+ shown/, 5_000, 'the palette');
    t.type('kill');
    const listed = await t.waitFor(/: kill_/, 5_000, 'the filter typed');
    expect(listed).toMatch(/Kill canary pods/);
    // The highlighted row (the cursor) is the kill-switch, above the runbook.
    expect(lineWith(listed, 'Kill-switch: influence to 0%')).toMatch(/^[\s│|]*› K /);
    expect(listed.indexOf('Kill-switch: influence to 0%')).toBeLessThan(listed.indexOf('Kill canary pods'));
    t.send('Enter');
    await confirmWhenShown(t, /KILL-SWITCH: influence 10% → 0%/);
    await t.waitFor(/VERIFIED/, 20_000, 'the kill verified');
    expect(requestsTo(sim, '/admin/kill-switch').length).toBeGreaterThan(0);
    await sleep(500);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('15: a text param never reaches curl as @file or -option', () => {
  it('note=@/etc/hostname is refused at the prompt with why; a plain note goes through as text', async () => {
    const { t } = consoleWith({
      post_note: { title: 'Post a note', argv: ['curl', '-sS', '--fail', '-d', '{{note}}', `${hook.url}/note`], params: { note: { type: 'text' } } },
    });
    await t.waitFor(/Policy entropy/, 10_000, 'the grid');
    t.send(':');
    await t.waitFor(/COMMANDS \d+ shown/, 5_000, 'the palette');
    t.type('post a note');
    await t.waitFor(/COMMANDS 1 shown/, 5_000, 'the runbook alone');
    t.send('Enter');
    await t.waitFor(/RUNBOOK Post a note/, 5_000, 'the note prompt');
    t.type('@/etc/hostname');
    t.send('Enter');
    await t.waitFor(/note may not start with "@": a command reads - as an option, @ and < as files/, 5_000, 'the refusal at the prompt');
    expect(t.capture()).not.toMatch(/run Post a note\?/);
    for (let i = 0; i < '@/etc/hostname'.length; i++) t.send('BSpace');
    // A leading space (trimmed away) keeps tmux from reading -o as its own option.
    t.type(' -o/tmp/x');
    t.send('Enter');
    await t.waitFor(/note may not start with "-"/, 5_000, 'a leading - refused too');
    for (let i = 0; i < ' -o/tmp/x'.length; i++) t.send('BSpace');
    t.type('canary looks fine @bob');
    t.send('Enter');
    await confirmWhenShown(t, /run Post a note\?/);
    await eventually(() => hook.received.length > 0, 15_000, 'curl to post the note');
    await sleep(300);
    expect(hook.received.map((r) => r.body)).toEqual(['canary looks fine @bob']);
    const hostname = readFileSync('/etc/hostname', 'utf8').trim();
    expect(JSON.stringify(hook.received)).not.toContain(hostname);
  });
});

describe('17 and 18: s in the demo signs the on-call gate; the notice goes away', () => {
  it('with Policy entropy selected, s offers the On-call engineer ACK gate (the only one waiting), y turns it GO', async () => {
    const t = demo(['--speed', '5'], 100, 30);
    await t.waitFor(/On-call engineer ACK/, 15_000, 'the demo grid');
    expect(lineWith(t.capture(), 'Policy entropy')).toMatch(/^›/);
    t.send('s');
    const prompt = await t.waitFor(/SIGN OFF/, 5_000, 'the sign-off prompt');
    expect(prompt).toMatch(/SIGN OFF "On-call engineer ACK" as on_call/);
    expect(prompt).toMatch(/The only manual gate waiting for your sign-off/);
    expect(prompt).not.toMatch(/SIGN OFF the decision/);
    await confirmWhenShown(t, /SIGN OFF "On-call engineer ACK"/);
    await t.waitFor((s) => /● GO\s+On-call engineer ACK ✓newcomer/.test(s), 10_000, 'the on-call gate signed and GO');
  });

  it('"signed off as on_call" leaves the screen about 10 s (console time) after the act', async () => {
    const t = demo(['--speed', '3'], 100, 30);
    await t.waitFor(/On-call engineer ACK/, 15_000, 'the demo grid');
    // Select the manual gate itself (7th row), so this does not lean on finding 17.
    for (let i = 0; i < 6; i++) t.send('j');
    await t.waitFor((s) => /^›.*On-call engineer ACK/m.test(s), 5_000, 'the on-call gate selected');
    t.send('s');
    await confirmWhenShown(t, /SIGN OFF "On-call engineer ACK" as on_call/);
    await t.waitFor(/^signed off as on_call$/m, 5_000, 'the notice');
    // 10 s of demo time at 3x is about 3.3 s of wall time: gone well within 8 s; the sign-off itself stays.
    const after = await t.waitFor((s) => !/^signed off as on_call$/m.test(s), 8_000, 'the notice gone');
    expect(after).toMatch(/On-call engineer ACK ✓newcomer/);
  });
});

describe('19: the timeline names the next checkpoint with its countdown', () => {
  it('T+30 Check for any alerts in 00:29:5x, later ones by offset', async () => {
    await setInfluence(sim, 10);
    const ramp = {
      max_step: 25,
      stages: [
        { influence: 10, hold: '2h', checkpoints: [{ at: '30m', label: 'Check for any alerts' }, { at: '60m', label: 'Review metrics stability' }] },
        { influence: 25, hold: '2h' },
      ],
    };
    const { t } = consoleWith({}, { cols: 100, rows: 30, ramp });
    const s = await t.waitFor(/T\+30 Check for any alerts in 00:2\d:\d\d/, 10_000, 'the next checkpoint named');
    expect(s).toMatch(/T\+60 in 00:5\d:\d\d/);
  });
});

describe('20: at 80x24 the demo says which gates are out of view', () => {
  it('page-alert: "+N more below" names the hidden NO-GO feed gate; the frame stays at 23 lines', async () => {
    const t = demo(['--scenario', 'page-alert', '--speed', '5']);
    const s = await t.waitFor(/\+\d+ more below · \d+ NO-GO: .*No firing page alerts/, 20_000, 'the hidden NO-GO gate named');
    expect(s.split('\n').length).toBeLessThanOrEqual(23);
    expect(s).not.toMatch(/● NO-GO\s+No firing page alerts on the feed/);
  });
});

describe('21: ? speaks of the product', () => {
  it('the help lists every key without "SPEC"', async () => {
    const t = demo([], 100, 40);
    await t.waitFor(/Policy entropy/, 15_000, 'the demo grid');
    t.send('?');
    const help = await t.waitFor(/Keys \(any key closes\)/, 5_000, 'the help');
    expect(help).toMatch(/approve the open override \/ waiver request, confirm y/);
    expect(help).not.toMatch(/SPEC/);
  });
});
