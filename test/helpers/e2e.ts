/**
 * End-to-end fixtures: the embedded simulator in-process on a free port, a generated
 * warroom.yaml pointing at it, and the real binary started in tmux.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startSimulator, type Simulator } from '../../src/sim/index.js';
import type { RequestLogEntry } from '../../src/sim/server.js';
import { BIN } from './cli.js';
import { startTmux, type Tmux } from './tmux.js';

export { BIN };
export type { Simulator };

export const ACTOR = 'e2e-alice';

/** Sim speed 20: entropy-collapse falls below warn ~2 s (wall) after the switch. */
export async function startSim(opts: { scenario?: string; speed?: number } = {}): Promise<Simulator> {
  return startSimulator({ port: 0, scenario: opts.scenario ?? 'healthy', speed: opts.speed ?? 20, seed: 7 });
}

export interface GateSpec {
  id: string;
  source: string;
  [key: string]: unknown;
}

/** The demo's entropy gate without `for:`, so its light changes at once. */
export function entropyGate(extra: Record<string, unknown> = {}): GateSpec {
  return {
    id: 'entropy',
    title: 'Policy entropy',
    group: 'Policy health',
    source: 'exporter',
    metric: 'policy_entropy{policy="live"}',
    go: '>= 0.9',
    warn: '>= 0.8',
    stale_after: '5s',
    ...extra,
  };
}

export function qSpreadGate(extra: Record<string, unknown> = {}): GateSpec {
  return {
    id: 'q_spread',
    title: 'Q-value spread vs baseline',
    group: 'Policy health',
    source: 'exporter',
    metric: 'q_value_spread',
    baseline: 1.4,
    go: '<= 2x',
    warn: '<= 3x',
    stale_after: '5s',
    ...extra,
  };
}

export function killswitchTestedGate(): GateSpec {
  return { id: 'killswitch_tested', title: 'Kill-switch tested in current build', group: 'Readiness', source: 'feed', key: 'killswitch.tested', go: '== true' };
}

export interface E2eConfigOptions {
  gates: GateSpec[];
  ramp?: Record<string, unknown>;
  decision?: Record<string, unknown>;
  /** Extra top-level keys (e.g. roles). */
  extra?: Record<string, unknown>;
  deployment?: string;
}

export interface E2eWorkspace {
  dir: string;
  configPath: string;
  auditDir: string;
  /** Files under auditDir (sorted). */
  auditFiles(): string[];
  /** ledger.jsonl parsed, [] when absent. */
  ledger(): Array<Record<string, unknown>>;
  cleanup(): void;
}

/** Writes a config for `sim` into a fresh temp dir; the audit trail goes to <dir>/audit. */
export function writeE2eConfig(sim: Simulator, opts: E2eConfigOptions): E2eWorkspace {
  const dir = mkdtempSync(join(tmpdir(), 'warroom-e2e-'));
  const auditDir = join(dir, 'audit');
  const ws = sim.url.replace(/^http:/, 'ws:');
  const config: Record<string, unknown> = {
    version: 1,
    deployment: { name: opts.deployment ?? 'rl-policy-e2e', environment: 'e2e' },
    sources: {
      exporter: { type: 'scrape', url: `${sim.url}/metrics`, interval: '1s', timeout: '2s' },
      feed: { type: 'websocket', url: `${ws}/status` },
    },
    gates: opts.gates,
    decision: opts.decision ?? { unknown: 'nogo' },
    ...(opts.ramp ? { ramp: opts.ramp } : {}),
    actions: {
      kill_switch: {
        http: { method: 'POST', url: `${sim.url}/admin/kill-switch`, body: { enabled: true, reason: '{{reason}}', actor: '{{actor}}' } },
        verify: { source: 'exporter', metric: 'policy_influence_pct', expect: '== 0', within: '15s' },
        retries: 3,
      },
      set_influence: {
        http: { method: 'POST', url: `${sim.url}/admin/influence`, body: { pct: '{{pct}}' } },
        verify: { source: 'exporter', metric: 'policy_influence_pct', expect: '== {{pct}}', within: '15s' },
      },
    },
    influence: { source: 'exporter', metric: 'policy_influence_pct' },
    audit: { dir: auditDir },
    ...(opts.extra ?? {}),
  };
  const configPath = join(dir, 'warroom.yaml');
  writeFileSync(configPath, stringify(config));
  const auditFiles = () => {
    try {
      return readdirSync(auditDir).sort();
    } catch {
      return [];
    }
  };
  return {
    dir,
    configPath,
    auditDir,
    auditFiles,
    ledger: () => {
      if (!auditFiles().includes('ledger.jsonl')) return [];
      return readFileSync(join(auditDir, 'ledger.jsonl'), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    },
    cleanup: () => removeWhenQuiet(dir),
  };
}

/** Starts the real console on `configPath` in a fresh tmux server, with a fixed actor. */
export function startConsole(configPath: string, opts: { cols?: number; rows?: number; args?: string[]; cwd?: string } = {}): Tmux {
  return startTmux({
    command: [process.execPath, BIN, '--config', configPath, '--actor', ACTOR, ...(opts.args ?? [])],
    cols: opts.cols ?? 120,
    rows: opts.rows ?? 36,
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
  });
}

/** The consoles one test opens, all stopped at its end (`stopAll` in a `finally`). */
export function consoleSet(): { open(configPath: string, opts?: Parameters<typeof startConsole>[1]): Tmux; stopAll(): void } {
  const all: Tmux[] = [];
  return {
    open(configPath, opts) {
      const t = startConsole(configPath, opts);
      all.push(t);
      return t;
    },
    stopAll() {
      for (const t of all.splice(0)) t.stop();
    },
  };
}

/** A signed room: `lines` as its allowed_signers file, and `room.allowed_signers` naming it in the config. */
export function allowSigners(ws: E2eWorkspace, lines: string): void {
  writeFileSync(join(ws.dir, 'allowed_signers'), lines);
  writeFileSync(ws.configPath, `${readFileSync(ws.configPath, 'utf8')}room:\n  allowed_signers: ${join(ws.dir, 'allowed_signers')}\n`);
}

/** Control requests the simulator received on `path` (kill-switch / influence). */
export function requestsTo(sim: Simulator, path: string): RequestLogEntry[] {
  return sim.state().requests.filter((r) => r.path === path);
}

export async function postJson(url: string, body: unknown): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const json: unknown = await res.json();
  if (!res.ok) throw new Error(`POST ${url} → ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

export async function setScenario(sim: Simulator, name: string): Promise<void> {
  await postJson(`${sim.url}/admin/scenario`, { name });
}

export async function setInfluence(sim: Simulator, pct: number): Promise<void> {
  await postJson(`${sim.url}/admin/influence`, { pct, actor: 'e2e-setup' });
}

/** The sample of `name` in the simulator's /metrics (first series), or undefined. */
export async function metric(sim: Simulator, name: string): Promise<number | undefined> {
  const text = await (await fetch(`${sim.url}/metrics`)).text();
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (m && m[1] === name) return Number(m[3]);
  }
  return undefined;
}

/** Polls `fn` every 100 ms until it returns true (bounded). */
export async function eventually(fn: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await fn()) return;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The screen line that mentions `needle` (first match), or ''. */
export function lineWith(screen: string, needle: string | RegExp): string {
  return screen.split('\n').find((l) => (typeof needle === 'string' ? l.includes(needle) : needle.test(l))) ?? '';
}

/** The overall light word on the header line (it sits just before "influence"). */
export function overall(screen: string): string | undefined {
  return / (GO|WARN|NO-GO) +influence /.exec(screen.split('\n')[0] ?? '')?.[1];
}

/** The influence % the header shows (undefined while unknown). */
export function headerInfluence(screen: string): number | undefined {
  const m = /\binfluence (\d+)%/.exec(screen.split('\n')[0] ?? '');
  return m ? Number(m[1]) : undefined;
}

/**
 * A console that got SIGHUP from tmux is still closing for a moment (its last ledger and gate-history
 * lines, the lock): removing its dir meanwhile fails with ENOTEMPTY. Retry for up to 10 s.
 */
export function removeWhenQuiet(dir: string): void {
  const until = Date.now() + 10_000;
  for (;;) {
    try {
      rmSync(dir, { recursive: true, force: true });
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOTEMPTY' || Date.now() > until) throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
}
