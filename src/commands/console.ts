/** `warroom` (the live console) and `warroom demo` (simulator + console in one process). */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { render } from 'ink';
import { createElement, type ComponentProps } from 'react';
import { scaledClock, systemClock, type Clock } from '../core/clock.js';
import type { Config } from '../config/types.js';
import { loadConfigFile, formatProblems } from '../config/load.js';
import { numberFlag, type Parsed } from '../cli/args.js';
import { CliError, EXIT } from '../cli/exit.js';
import { loadConfigOrFail, resolveActor, type CliIo } from '../cli/io.js';
import { Session } from '../console/session.js';
import { Console } from '../../views/Console.js';
import type { Theme } from '../../views/theme.js';
import { enterAltScreen } from './screen.js';
import { Recorder, type RecordLine } from '../console/recording.js';
import { openLedgerFor } from '../console/ledgerLink.js';
import { ActionRunner } from '../console/actionRunner.js';
import { Controller } from '../console/controller.js';
import { retargetConfig } from './retarget.js';
import { shortSecretWarning } from '../util/redactor.js';

export interface ConsoleRun {
  config: Config;
  actor: string;
  readOnly: boolean;
  record?: string;
  theme: Theme;
  clock: Clock;
  mode: 'live' | 'demo' | 'replay';
  /** Lines shown in the event log at start (demo: where the simulator and audit trail are). */
  banner?: string[];
}

/**
 * Renders the console on the alternate screen until quit, restoring the terminal on every
 * way out (quit, SIGTERM/SIGHUP, a crash).
 */
export async function showConsole(props: ComponentProps<typeof Console>, io: CliIo): Promise<void> {
  const leaveScreen = enterAltScreen(io.stdout);
  let instance: ReturnType<typeof render> | undefined;
  const onSignal = () => instance?.unmount();
  const onCrash = (err: unknown) => {
    leaveScreen();
    io.stderr.write(`warroom: internal failure: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(EXIT.INTERNAL);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  process.on('uncaughtException', onCrash);
  try {
    instance = render(createElement(Console, props), { exitOnCtrlC: false, patchConsole: true, maxFps: 15 });
    await instance.waitUntilExit();
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    process.off('uncaughtException', onCrash);
    leaveScreen();
  }
}

export function requireTty(): void {
  if (!process.stdin.isTTY) {
    throw new CliError('the console needs an interactive terminal (for scripts and CI use `warroom check --strict`)', EXIT.USAGE);
  }
}

export function themeFrom(p: Parsed, env: CliIo['env']): Theme {
  return { ascii: Boolean(p.values.ascii), color: !(p.values['no-color'] || (env.NO_COLOR ?? '') !== '') };
}

export async function runConsole(run: ConsoleRun, io: CliIo): Promise<number> {
  requireTty();
  const rec = run.record ? new Recorder(run.record, run.config) : undefined;
  rec?.writeConfig(run.clock.now(), run.config);
  const recorder = rec ? (kind: string, data: unknown) => rec.write(run.clock.now(), kind as RecordLine['kind'], data) : undefined;
  const session = new Session({ config: run.config, actor: run.actor, clock: run.clock, cadence: systemClock, readOnly: run.readOnly, mode: run.mode, ...(recorder ? { recorder } : {}) });
  const ledgerLink = await openLedgerFor(session, run.clock);
  for (const line of run.banner ?? []) session.live.event({ kind: 'system', level: 'info', text: line });
  if (ledgerLink.warning) session.live.event({ kind: 'system', level: 'error', text: ledgerLink.warning });
  const short = shortSecretWarning(run.config.shortSecretNames ?? []);
  if (short) session.live.event({ kind: 'system', level: 'warn', text: `warning: ${short}` });

  const runner = new ActionRunner(session, ledgerLink.ledger, run.clock);
  const controller = new Controller(session, runner, ledgerLink.ledger, run.clock);
  // A BEL moves no cursor: written straight to the terminal, it needs no redraw from Ink.
  const offBell = session.store.subscribe((st, prev) => {
    if (st.bell !== prev.bell) io.stdout.write('\u0007');
  });
  try {
    session.start();
    await showConsole({ store: session.store, theme: run.theme, onKey: (input, key) => controller.key(input, key) }, io);
  } finally {
    offBell();
    controller.dispose();
    await session.stop();
    await ledgerLink.close();
    await rec?.close();
  }
  return 0;
}

export async function consoleCommand(p: Parsed, io: CliIo): Promise<number> {
  const config = await loadConfigOrFail(p.values.config as string | undefined, io);
  const run: ConsoleRun = {
    config,
    actor: resolveActor(p.values.actor as string | undefined, io.env),
    readOnly: Boolean(p.values['read-only']),
    theme: themeFrom(p, io.env),
    clock: systemClock,
    mode: 'live',
  };
  if (typeof p.values.record === 'string') run.record = p.values.record;
  return runConsole(run, io);
}

export const DEMO_CONFIG = fileURLToPath(new URL('../../../config/demo.yaml', import.meta.url));
export const DEMO_PORT = 9108;

export async function demoCommand(p: Parsed, io: CliIo): Promise<number> {
  const speed = numberFlag(p.values, 'speed', { min: 0.1, max: 10_000 }) ?? 1;
  const scenario = (p.values.scenario as string | undefined) ?? 'healthy';
  const actor = resolveActor(p.values.actor as string | undefined, io.env);
  const { startSimulator, SCENARIOS } = await import('../sim/index.js');
  if (!SCENARIOS.includes(scenario)) throw new CliError(`unknown scenario "${scenario}"; one of: ${SCENARIOS.join(', ')}`, EXIT.USAGE);
  const clock = speed === 1 ? systemClock : scaledClock(speed);
  const loaded = await loadConfigFile(DEMO_CONFIG, io.env);
  if (!loaded.ok) throw new CliError(`bundled demo config is invalid:\n${formatProblems(loaded.problems, DEMO_CONFIG)}`, EXIT.INTERNAL);
  let sim;
  try {
    sim = await startSimulator({ port: DEMO_PORT, scenario, speed, clock });
  } catch {
    sim = await startSimulator({ port: 0, scenario, speed, clock }); // 9108 busy (another sim): use a free port
  }
  const auditDir = await mkdtemp(join(tmpdir(), 'warroom-demo-'));
  const config = retargetConfig(loaded.config, `127.0.0.1:${DEMO_PORT}`, `127.0.0.1:${sim.port}`);
  config.audit = { dir: auditDir };
  try {
    return await runConsole(
      {
        config,
        actor,
        readOnly: Boolean(p.values['read-only']),
        theme: themeFrom(p, io.env),
        clock,
        mode: 'demo',
        ...(typeof p.values.record === 'string' ? { record: p.values.record } : {}),
        banner: [`demo: simulator ${sim.url} scenario ${scenario} speed ${speed}x; audit trail in ${auditDir}`],
      },
      io,
    );
  } finally {
    await sim.stop();
  }
}
