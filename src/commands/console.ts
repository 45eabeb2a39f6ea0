/** `warroom` (the live console) and `warroom demo` (simulator + console in one process). */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { render } from 'ink';
import { createElement, type ComponentProps } from 'react';
import { scaledClock, systemClock, type Clock } from '../core/clock.js';
import type { Config } from '../config/types.js';
import { loadConfigFile, formatProblems } from '../config/load.js';
import { numberFlag, type Parsed } from '../cli/args.js';
import { CliError, EXIT } from '../cli/exit.js';
import { loadConfigOrFail, resolveActor, type CliIo } from '../cli/io.js';
import { Session } from '../session/session.js';
import { Console } from '../../views/Console.js';
import type { Theme } from '../../views/theme.js';
import { enterAltScreen } from './screen.js';
import { Recorder, type RecordLine } from '../session/recording.js';
import { openLedgerFor, type LedgerLink } from '../session/ledgerLink.js';
import { loadSigningKey, rulesFor } from '../audit/signers.js';
import { settlePendingRecords } from '../audit/pendingRecords.js';
import type { SigningKey } from '../audit/sshsig.js';
import { wireConsole } from '../session/wire.js';
import { retargetConfig } from './retarget.js';
import { shortSecretWarning } from '../util/redactor.js';
import { startTelemetry, type TelemetryLink } from '../telemetry/link.js';
import { parseListen, type ListenAddress } from '../config/listen.js';
import { startHistory } from '../history/link.js';

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
  /** --signing-key */
  signingKey?: string;
  /** --metrics-listen (wins over telemetry.metrics_listen). */
  metricsListen?: ListenAddress;
}

/** --metrics-listen HOST:PORT, checked like the config key. */
export function metricsListenFlag(p: Parsed): ListenAddress | undefined {
  const raw = p.values['metrics-listen'];
  if (typeof raw !== 'string') return undefined;
  const a = parseListen(raw);
  if ('error' in a) throw new CliError(`--metrics-listen: ${a.error}`, EXIT.USAGE);
  return a;
}

/**
 * Renders the console on the alternate screen until quit, restoring the terminal on every
 * way out (quit, SIGTERM/SIGHUP, a crash).
 */
export async function showConsole(props: ComponentProps<typeof Console>, io: CliIo, onSignal?: (name: NodeJS.Signals) => void): Promise<NodeJS.Signals | undefined> {
  const leaveScreen = enterAltScreen(io.stdout);
  let instance: ReturnType<typeof render> | undefined;
  let got: NodeJS.Signals | undefined;
  // A signal asks the controller, which may wait for a kill in flight before the tree exits.
  const onTerm = (name: NodeJS.Signals) => {
    got ??= name;
    if (onSignal) onSignal(name);
    else instance?.unmount();
  };
  const onSigterm = () => onTerm('SIGTERM');
  const onSighup = () => onTerm('SIGHUP');
  const onCrash = (err: unknown) => {
    leaveScreen();
    io.stderr.write(`warroom: internal failure: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(EXIT.INTERNAL);
  };
  // The terminal went away (an SSH drop, a closed tmux pane): every write to it now fails with
  // EIO. That is a hang-up, not a crash: leave as on SIGHUP, so the audit trail is still flushed
  // (or rescued) and its lock released. Kept on after the tree exits, for the writes still to come.
  let gone = false;
  let exited = false;
  const onTerminalError = (err: NodeJS.ErrnoException) => {
    if (!TERMINAL_GONE.has(err.code ?? '')) return onCrash(err);
    if (gone || exited) return;
    gone = true;
    onTerm('SIGHUP');
  };
  for (const s of [io.stdout, io.stderr, process.stdin]) if (s.listenerCount('error') === 0) s.on('error', onTerminalError);
  process.on('SIGTERM', onSigterm);
  process.on('SIGHUP', onSighup);
  process.on('uncaughtException', onCrash);
  try {
    instance = render(createElement(Console, props), { exitOnCtrlC: false, patchConsole: true, maxFps: 15 });
    await instance.waitUntilExit();
    return got;
  } finally {
    exited = true;
    process.off('SIGTERM', onSigterm);
    process.off('SIGHUP', onSighup);
    process.off('uncaughtException', onCrash);
    leaveScreen();
  }
}

/** What writing to (or reading from) a terminal that has gone away fails with. */
const TERMINAL_GONE = new Set(['EIO', 'EPIPE', 'ENXIO', 'ECONNRESET']);

export function requireTty(): void {
  if (!process.stdin.isTTY) {
    throw new CliError('the console needs an interactive terminal (for scripts and CI use `warroom check --strict`)', EXIT.USAGE);
  }
}

export function themeFrom(p: Parsed, env: CliIo['env']): Theme {
  return { ascii: Boolean(p.values.ascii), color: !(p.values['no-color'] || (env.NO_COLOR ?? '') !== '') };
}

/** SPEC §9.1: the exit codes of a console that ends on a signal, or with audit lines unsaved. */
export const EXIT_SIGTERM = 143;
export const EXIT_SIGHUP = 129;
export const EXIT_AUDIT_UNSAVED = 74;

/** `--signing-key`, else room.signing_key, else $WARROOM_SIGNING_KEY. */
async function signerFor(run: ConsoleRun, io: CliIo): Promise<SigningKey | undefined> {
  const path = run.signingKey ?? run.config.room.signingKey ?? io.env.WARROOM_SIGNING_KEY;
  if (!path) return undefined;
  try {
    return await loadSigningKey(resolve(io.cwd, path));
  } catch (e) {
    throw new CliError((e as Error).message, EXIT.CONFIG);
  }
}

export async function runConsole(run: ConsoleRun, io: CliIo): Promise<number> {
  requireTty();
  const signer = run.readOnly || run.mode === 'replay' ? undefined : await signerFor(run, io);
  const { rules, problems } = await rulesFor(run.config, run.clock.now());
  const rec = run.record ? new Recorder(run.record, run.config) : undefined;
  rec?.writeConfig(run.clock.now(), run.config);
  const recorder = rec ? (kind: string, data: unknown) => rec.write(run.clock.now(), kind as RecordLine['kind'], data) : undefined;
  const session = new Session({ config: run.config, actor: run.actor, clock: run.clock, cadence: systemClock, readOnly: run.readOnly, mode: run.mode, ...(recorder ? { recorder } : {}) });
  const { now: _now, ...linkRules } = rules;
  const ledgerLink = await openLedgerFor(session, run.clock, { rules: linkRules, ...(signer ? { signer } : {}) });
  for (const line of run.banner ?? []) session.live.event({ kind: 'system', level: 'info', text: line });
  for (const w of [...problems, ...ledgerLink.warnings]) session.live.event({ kind: 'system', level: 'error', text: w });
  if (signer) session.live.event({ kind: 'system', level: 'info', text: `signing acts as ${run.actor} with ${signer.publicLine.slice(0, 40)}…` });
  const short = shortSecretWarning(run.config.shortSecretNames ?? []);
  if (short) session.live.event({ kind: 'system', level: 'warn', text: `warning: ${short}` });

  let telemetry: TelemetryLink;
  try {
    telemetry = await startTelemetry(session, ledgerLink.ledger, run.clock, {
      ...(run.metricsListen ? { metricsListen: run.metricsListen } : {}),
      env: io.env,
      warn: (w) => io.stderr.write(`warroom: ${w}\n`),
      ...(rules.signers ? { signers: rules.signers } : {}),
    });
  } catch (e) {
    // Before the first frame: a clear start-up error, the audit dir's lock released.
    await ledgerLink.close();
    await rec?.close();
    throw new CliError((e as Error).message, run.metricsListen ? EXIT.USAGE : EXIT.CONFIG);
  }

  // Started after every start-up error above, so nothing is left running. Loaded only when
  // sinks are configured (startup budget); it never sits on an action's path.
  // The room on NATS (loaded only when configured); the console never waits for it to connect.
  const roomMod = run.config.room.nats ? await import('../room/link.js') : undefined;
  const room = await roomMod?.startRoomLink(session, ledgerLink.ledger, run.clock);
  const notify = run.config.notify?.length ? (await import('../notify/link.js')).startNotifyLink(session, ledgerLink.ledger, run.clock, { ...(room ? { speaks: room.speaks } : {}), ...(rules.signers ? { signers: rules.signers } : {}) }) : undefined;

  // The window's gate history beside the ledger, for `report --format html` (off the action path).
  const history = startHistory(session.store, ledgerLink.ledger?.path, { clock: run.clock, cadence: systemClock, say: (level, text) => session.live.event({ kind: 'system', level, text }) });
  const { controller } = wireConsole(session, ledgerLink.ledger, run.clock, {
    approvals: { deployment: rules.deployment, ...(rules.roles ? { roles: rules.roles } : {}), ...(rules.signers ? { signers: rules.signers } : {}) },
  });
  roomMod?.linkRoomKill(controller, room);
  // A BEL moves no cursor: written straight to the terminal, it needs no redraw from Ink.
  const offBell = session.store.subscribe((st, prev) => {
    if (st.bell !== prev.bell) io.stdout.write('\u0007');
  });
  let signal: NodeJS.Signals | undefined;
  const offLateSignals = holdLateSignals();
  try {
    try {
      session.start();
      signal = await showConsole({ store: session.store, theme: run.theme, onInput: (chunk) => controller.input(chunk) }, io, (name) => controller.signal(name));
    } finally {
      offBell();
      controller.dispose();
      await session.stop();
      await notify?.stop();
      await history?.stop();
    }
    const recordsUnsaved = await closeDecisionRecords(io);
    const unsaved = (await closeAudit(ledgerLink, io, room)) || recordsUnsaved;
    const telemetryError = await telemetry.stop({ auditUnsaved: unsaved, ...(signal ? { signal } : {}) });
    if (telemetryError) io.stderr.write(`warroom: ${telemetryError}\n`);
    await rec?.close();
    if (unsaved) return EXIT_AUDIT_UNSAVED;
    return signal === 'SIGTERM' ? EXIT_SIGTERM : signal === 'SIGHUP' ? EXIT_SIGHUP : 0;
  } finally {
    offLateSignals();
  }
}

/**
 * A hang-up can come more than once (the kernel signals the terminal's foreground group when the
 * terminal goes, and again as the shell that led its session exits). Once the console is
 * leaving, a later SIGHUP (or SIGTERM) must not end the process by default before the audit
 * trail is flushed or rescued and its lock released (that close is bounded by its own waits).
 */
function holdLateSignals(): () => void {
  const leaving = () => {};
  process.on('SIGHUP', leaving);
  process.on('SIGTERM', leaving);
  return () => {
    process.off('SIGHUP', leaving);
    process.off('SIGTERM', leaving);
  };
}

/**
 * Decision records whose write is still being retried: one more attempt each, else a rescue
 * file, named on stderr. True when any record is not where its ledger line says it is.
 */
async function closeDecisionRecords(io: CliIo): Promise<boolean> {
  const { rescued, lost } = await settlePendingRecords(io.env);
  for (const r of rescued) {
    io.stderr.write(`warroom: DECISION RECORD NOT SAVED: ${r.name} could not be written to ${r.dir} (${r.error})\n`);
    io.stderr.write(`warroom: it was written to the rescue file ${r.path}; move it to ${join(r.dir, r.name)} once the disk is fixed\n`);
  }
  for (const l of lost) io.stderr.write(`warroom: DECISION RECORD LOST: ${l.name} could not be written to ${l.dir}, nor rescued: ${l.error}\n`);
  return rescued.length + lost.length > 0;
}

/** Flushes the ledger; lines still not on disk go to a rescue file, named on stderr. True when any were unsaved. */
async function closeAudit(link: LedgerLink, io: CliIo, room?: { stop(): Promise<void> }): Promise<boolean> {
  const ledger = link.ledger;
  if (!ledger) return Promise.all([link.close(), room?.stop()]).then(() => false);
  await ledger.flush(3000).catch(() => {});
  // Lines on disk go to the room's stream now if it is up; else at the next start.
  await room?.stop();
  const pending = ledger.pending();
  let rescued: string | undefined;
  let rescueError: string | undefined;
  if (pending > 0) {
    try {
      rescued = await ledger.rescue(io.env);
    } catch (e) {
      rescueError = (e as Error).message;
    }
  }
  await link.close();
  if (pending === 0) return false;
  io.stderr.write(`warroom: AUDIT NOT SAVED: ${pending} ledger line(s) could not be written to ${ledger.path} (${ledger.lastError() ?? 'still writing'})\n`);
  io.stderr.write(rescued ? `warroom: they were written to the rescue file ${rescued}; append them to the ledger once the disk is fixed\n` : `warroom: and no rescue file could be written either: ${rescueError ?? ''}\n`);
  return true;
}

export async function consoleCommand(p: Parsed, io: CliIo): Promise<number> {
  const config = await loadConfigOrFail(p.values.config as string | undefined, io, true);
  const run: ConsoleRun = {
    config,
    actor: resolveActor(p.values.actor as string | undefined, io.env),
    readOnly: Boolean(p.values['read-only']),
    theme: themeFrom(p, io.env),
    clock: systemClock,
    mode: 'live',
  };
  if (typeof p.values.record === 'string') run.record = p.values.record;
  if (typeof p.values['signing-key'] === 'string') run.signingKey = p.values['signing-key'];
  const listen = metricsListenFlag(p);
  if (listen) run.metricsListen = listen;
  return runConsole(run, io);
}

export const DEMO_CONFIG = fileURLToPath(new URL('../../../config/demo.yaml', import.meta.url));
export const DEMO_PORT = 9108;

export async function demoCommand(p: Parsed, io: CliIo): Promise<number> {
  const speed = numberFlag(p.values, 'speed', { min: 0.1, max: 10_000 }) ?? 1;
  const scenario = (p.values.scenario as string | undefined) ?? 'healthy';
  const actor = resolveActor(p.values.actor as string | undefined, io.env);
  const metricsListen = metricsListenFlag(p);
  const { startSimulator, SCENARIOS } = await import('../sim/index.js');
  if (!SCENARIOS.includes(scenario)) throw new CliError(`unknown scenario "${scenario}"; one of: ${SCENARIOS.join(', ')}`, EXIT.USAGE);
  // After the flags, before the simulator and the demo's audit dir: a refusal leaves nothing running or behind.
  requireTty();
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
        ...(metricsListen ? { metricsListen } : {}),
        ...(typeof p.values.record === 'string' ? { record: p.values.record } : {}),
        banner: [`demo: simulator ${sim.url} scenario ${scenario} speed ${speed}x; audit trail in ${auditDir}`],
      },
      io,
    );
  } finally {
    await sim.stop();
  }
}
