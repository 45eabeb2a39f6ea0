/**
 * SPEC §9.5 on the real binary in tmux: the `:` palette runs a runbook (fuzzy filter, a choice
 * param, confirm) against a real local control API whose change a real scrape source shows, so
 * verify passes; `x` runs a gate's remedy from its rollback banner; a read-only console lists
 * runbooks but sends nothing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { ACTOR, entropyGate, eventually, headerInfluence, setInfluence, setScenario, startConsole, startSim, writeE2eConfig, type Simulator, removeWhenQuiet } from '../helpers/e2e.js';
import { startExporter, type TestExporter } from '../helpers/exporter.js';
import type { Tmux } from '../helpers/tmux.js';
import { confirm } from '../helpers/confirm.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MODE_PATH = '/admin/mode/set';

interface Received {
  method: string;
  path: string;
  body: unknown;
  idempotencyKey: string | undefined;
}

/** A control API that really switches the mode the exporter reports (llm_mode{mode=…} 1). */
async function startModeControl(exporter: TestExporter): Promise<{ url: string; requests: Received[]; stop(): Promise<void> }> {
  const requests: Received[] = [];
  const show = (mode: string) => exporter.set(`# TYPE llm_mode gauge\nllm_mode{mode="balanced"} ${mode === 'balanced' ? 1 : 0}\nllm_mode{mode="fast"} ${mode === 'fast' ? 1 : 0}\n`);
  show('fast');
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown = raw;
      try {
        body = JSON.parse(raw);
      } catch {
        /* keep the text */
      }
      const path = (req.url ?? '/').split('?')[0]!;
      requests.push({ method: req.method ?? '', path, body, idempotencyKey: req.headers['idempotency-key'] as string | undefined });
      const mode = (body as { mode?: unknown } | null)?.mode;
      if (req.method === 'POST' && path === MODE_PATH && (mode === 'balanced' || mode === 'fast')) {
        show(mode);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      } else res.writeHead(400).end('bad request');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function downshift(controlUrl: string, extra: Record<string, unknown> = {}) {
  return {
    title: 'Downshift to balanced',
    http: { method: 'POST', url: `${controlUrl}${MODE_PATH}`, body: { mode: '{{mode}}', actor: '{{actor}}' } },
    params: { mode: { choice: ['balanced', 'fast'] } },
    verify: { source: 'modes', metric: 'llm_mode{mode="balanced"}', expect: '== 1', within: '15s' },
    ...extra,
  };
}

function readLedger(dir: string): Array<Record<string, unknown>> {
  try {
    return readFileSync(join(dir, 'ledger.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  } catch {
    return [];
  }
}

let exporter: TestExporter;
let control: Awaited<ReturnType<typeof startModeControl>>;
beforeAll(async () => {
  exporter = await startExporter();
  control = await startModeControl(exporter);
});
afterAll(async () => {
  await control?.stop();
  await exporter?.stop();
});

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
  control.requests.length = 0;
  exporter.set(exporter === undefined ? '' : '# TYPE llm_mode gauge\nllm_mode{mode="balanced"} 0\nllm_mode{mode="fast"} 1\n');
});

/** A console on the mode exporter alone, with the downshift runbook; roles give the actor release_captain. */
function openModeConsole(opts: { args?: string[]; cols?: number; rows?: number; sign?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'warroom-rb-'));
  const key = join(dir, 'key');
  if (opts.sign) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', ACTOR, '-f', key]);
  const auditDir = join(dir, 'audit');
  const config = {
    version: 1,
    deployment: { name: 'rl-policy-rb', environment: 'e2e' },
    roles: { release_captain: [ACTOR], on_call: ['bob'] },
    sources: { modes: { type: 'scrape', url: exporter.url, interval: '1s', timeout: '2s' } },
    gates: [{ id: 'fast_mode', title: 'Fast mode off', source: 'modes', metric: 'llm_mode{mode="fast"}', go: '== 0', stale_after: '5s', remedy: 'downshift' }],
    actions: { runbooks: { downshift: downshift(control.url, { roles: ['release_captain', 'on_call'] }) } },
    audit: { dir: auditDir },
  };
  const configPath = join(dir, 'warroom.yaml');
  writeFileSync(configPath, stringify(config));
  const args = [...(opts.args ?? []), ...(opts.sign ? ['--signing-key', key] : [])];
  const t = startConsole(configPath, { cols: opts.cols ?? 120, rows: opts.rows ?? 36, args });
  cleanups.push(() => removeWhenQuiet(dir));
  cleanups.push(() => t.stop());
  return { t, auditDir, dir, pub: opts.sign ? readFileSync(`${key}.pub`, 'utf8').split(' ').slice(0, 2).join(' ') : '' };
}

async function confirmWhenShown(t: Tmux, re: RegExp): Promise<void> {
  await t.waitFor(re, 5_000, `confirm screen ${re}`);
  // A confirm key counts only 150 ms after the confirm screen appeared.
  await confirm(t);
}

describe('runbooks from the palette and as remedies (SPEC §9.5)', () => {
  it(': fuzzy-filters to the runbook, a choice param, y → the exact request, VERIFIED, and requested/verified ledger lines with the params', async () => {
    const { t, auditDir, dir, pub } = openModeConsole({ sign: true });
    await t.waitFor(/Fast mode off/, 10_000, 'the gate grid');
    await t.waitFor(/NO-GO/, 10_000, 'fast mode on: NO-GO');

    t.send(':');
    const all = await t.waitFor(/COMMANDS \d+ shown/, 5_000, 'the palette');
    expect(all).toMatch(/Kill-switch: influence to 0%/);
    expect(all).toMatch(/runbook +Downshift to balanced \(downshift\)/);
    t.type('dwnbal');
    const filtered = await t.waitFor(/COMMANDS 1 shown/, 5_000, 'the palette filtered to one entry');
    expect(filtered).toMatch(/: dwnbal_/);
    expect(filtered).toMatch(/runbook +Downshift to balanced/);
    expect(filtered).not.toMatch(/Kill-switch: influence/);

    t.send('Enter');
    await t.waitFor(/> 1 balanced/, 5_000, 'the mode choice, balanced highlighted');
    t.send('Down');
    await t.waitFor(/> 2 fast/, 5_000, 'fast highlighted');
    t.send('Up');
    await t.waitFor(/> 1 balanced/, 5_000, 'balanced highlighted again');
    t.send('Enter');
    const confirm = await t.waitFor(/run Downshift to balanced\?/, 5_000, 'the confirm screen');
    expect(confirm).toMatch(/params: mode=balanced/);
    expect(confirm).toMatch(new RegExp(`Sends POST ${control.url.replace(/[.]/g, '\\.')}${MODE_PATH}`));
    await sleep(500);
    expect(control.requests).toEqual([]);
    await confirmWhenShown(t, /run Downshift to balanced\?/);

    await t.waitFor(/RUNBOOK Downshift to balanced \(mode=balanced\):.*VERIFIED/, 20_000, 'the runbook VERIFIED');
    expect(control.requests).toHaveLength(1);
    const [req] = control.requests;
    expect(req).toMatchObject({ method: 'POST', path: MODE_PATH, body: { mode: 'balanced', actor: ACTOR } });
    expect(req!.idempotencyKey).toMatch(/^[0-9a-f-]{16,}$/i);

    await eventually(() => readLedger(auditDir).some((l) => l.phase === 'verified'), 5_000, 'the verified ledger line');
    const lines = readLedger(auditDir).filter((l) => l.type === 'action');
    expect(lines.map((l) => l.phase)).toEqual(expect.arrayContaining(['requested', 'verified']));
    for (const l of lines) {
      expect(l).toMatchObject({ action: 'runbook', runbook: 'downshift', params: { mode: 'balanced' }, actor: ACTOR, role: 'release_captain', idempotency_key: req!.idempotencyKey });
    }
    t.send('q');
    expect(await t.exitCode()).toBe(0);

    // Signed like every action line: the real ssh-keygen accepts the verified line's signature.
    const n = readLedger(auditDir).findIndex((l) => l.type === 'action' && l.phase === 'verified') + 1;
    expect(readLedger(auditDir)[n - 1]!.sig).toMatch(/^-----BEGIN SSH SIGNATURE-----/);
    const msg = await runCli(['audit', 'message', `ledger.jsonl:${n}`, '--dir', auditDir]);
    const sig = await runCli(['audit', 'message', `ledger.jsonl:${n}`, '--dir', auditDir, '--sig']);
    writeFileSync(join(dir, 'allowed_signers'), `${ACTOR} namespaces="warroom" ${pub}\n`);
    writeFileSync(join(dir, 'line.sig'), sig.stdout);
    const verify = spawnSync('ssh-keygen', ['-Y', 'verify', '-n', 'warroom', '-f', join(dir, 'allowed_signers'), '-I', ACTOR, '-s', join(dir, 'line.sig')], { input: msg.stdout });
    expect(verify.stdout.toString() + verify.stderr.toString()).toMatch(/Good "warroom" signature/);
    expect((await runCli(['audit', 'verify', '--dir', auditDir])).code).toBe(0);
  });

  it('--read-only at 80x24: : lists the runbook dimmed with the reason; choosing it is refused and nothing is sent', async () => {
    const { t, auditDir } = openModeConsole({ args: ['--read-only'], cols: 80, rows: 24 });
    await t.waitFor(/Fast mode off/, 10_000, 'the gate grid');
    t.send(':');
    const screen = await t.waitFor(/COMMANDS \d+ shown/, 5_000, 'the palette');
    if (process.env.WARROOM_PALETTE_CAPTURE) writeFileSync(process.env.WARROOM_PALETTE_CAPTURE, screen);
    const lines = screen.split('\n');
    expect(lines.length).toBeLessThanOrEqual(24);
    expect(lines.every((l) => l.length <= 80)).toBe(true);
    expect(screen).toMatch(/runbook +Downshift to balanced \(downshift\) - READ-ONLY/);
    expect(screen).toMatch(/Enter opens · Esc cancels/);
    t.type('downshift');
    await t.waitFor(/COMMANDS 1 shown/, 5_000, 'filtered to the runbook');
    t.send('Enter');
    await t.waitFor(/Downshift to balanced refused: READ-ONLY/, 5_000, 'the refusal');
    // Whatever is typed next never reaches a confirm screen.
    t.send('Enter', 'y', '1', 'Enter', 'y');
    await sleep(1_000);
    expect(t.capture()).not.toMatch(/run Downshift to balanced\?/);
    expect(control.requests).toEqual([]);
    expect(readLedger(auditDir).filter((l) => l.type === 'action')).toEqual([]);
    t.send('Escape');
    await t.waitFor((s) => !/COMMANDS \d+ shown/.test(s), 5_000, 'the palette closed');
  });
});

describe('x runs the remedy of the gate whose rollback banner is up', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSim({ speed: 20 });
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('entropy (rollback: prompt, remedy: downshift) turns NO-GO → banner says press x → x → confirm → request, VERIFIED, recorded with the gate', async () => {
    await setScenario(sim, 'healthy');
    await setInfluence(sim, 25);
    const ws = writeE2eConfig(sim, { gates: [entropyGate({ rollback: 'prompt', remedy: 'downshift' })] });
    cleanups.push(() => ws.cleanup());
    const config = parse(readFileSync(ws.configPath, 'utf8')) as Record<string, Record<string, unknown>>;
    config.sources!.modes = { type: 'scrape', url: exporter.url, interval: '1s', timeout: '2s' };
    config.roles = { release_captain: ['carol'], on_call: [ACTOR] };
    config.actions!.runbooks = { downshift: downshift(control.url, { roles: ['release_captain', 'on_call'] }) };
    writeFileSync(ws.configPath, stringify(config));
    const t = startConsole(ws.configPath, { cols: 120, rows: 36 });
    cleanups.push(() => t.stop());
    await t.waitFor((s) => headerInfluence(s) === 25, 10_000, 'influence 25%');

    // No banner yet: x is the selected gate's remedy; Esc leaves it unsent.
    t.send('x');
    await t.waitFor(/RUNBOOK Downshift to balanced \(downshift\)/, 5_000, 'the remedy prompt for the selected gate');
    t.send('Escape');
    await t.waitFor((s) => !/RUNBOOK Downshift/.test(s), 5_000, 'the prompt closed');

    // Another console in the room, as the feed sees it.
    const heard: Array<Record<string, unknown>> = [];
    const room = new WebSocket(`${sim.url.replace(/^http:/, 'ws:')}/status`);
    room.on('message', (d) => heard.push(JSON.parse(d.toString()) as Record<string, unknown>));
    cleanups.push(() => room.terminate());
    await new Promise<void>((resolve, reject) => (room.once('open', () => resolve()), room.once('error', reject)));

    await setScenario(sim, 'entropy-collapse');
    const banner = await t.waitFor(/ROLLBACK TRIGGER: entropy = .*press x to run Downshift to balanced/, 20_000, 'the rollback banner with the remedy');
    expect(banner).toMatch(/K kill-switch · press x/);
    t.send('x');
    const prompt = await t.waitFor(/> 1 balanced/, 5_000, 'the mode choice');
    expect(prompt).toMatch(/remedy for "Policy entropy"/);
    t.send('Enter');
    await confirmWhenShown(t, /run Downshift to balanced\?/);
    await t.waitFor(/RUNBOOK Downshift to balanced \(mode=balanced\):.*VERIFIED/, 20_000, 'the remedy VERIFIED');
    expect(control.requests).toHaveLength(1);
    expect(control.requests[0]).toMatchObject({ method: 'POST', path: MODE_PATH, body: { mode: 'balanced', actor: ACTOR } });
    await eventually(() => ws.ledger().some((l) => l.action === 'runbook' && l.phase === 'verified'), 5_000, 'the verified ledger line');
    const rb = ws.ledger().filter((l) => l.action === 'runbook');
    expect(rb.map((l) => l.phase)).toEqual(expect.arrayContaining(['requested', 'verified']));
    for (const l of rb) expect(l).toMatchObject({ runbook: 'downshift', gate: 'entropy', params: { mode: 'balanced' }, reason: 'remedy for entropy', role: 'on_call' });
    await eventually(() => heard.some((m) => m.type === 'event' && m.actor === ACTOR && /^runbook downshift \(mode=balanced\) as the remedy for entropy verified/.test(String(m.text))), 5_000, 'the runbook event on the feed');
    // The remedy never took the kill-switch's place: influence is untouched.
    expect(ws.ledger().filter((l) => l.action === 'kill_switch')).toEqual([]);
  });
});
