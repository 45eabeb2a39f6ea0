/**
 * Wires warroom's own telemetry (SPEC §9.4) to a running console: `/metrics` rendered from the
 * store on each scrape, and the window's trace built from the paced loop's typed events, the
 * session's action rows and the ledger's lines. It only listens and reads; nothing is hooked
 * into the action path. Its only writes are event-log lines about itself.
 */
import { randomUUID } from 'node:crypto';
import type { Ledger } from '../audit/ledger.js';
import type { LedgerLine } from '../audit/types.js';
import { judgeLine } from '../audit/judge.js';
import type { AllowedSigner } from '../audit/sshsig.js';
import type { Clock } from '../core/clock.js';
import { version } from '../core/version.js';
import type { WarroomState } from '../store/store.js';
import { makeRedactor } from '../util/redactor.js';
import { oneLine } from '../util/sanitize.js';
import { countActionLines, type ActionCounts } from './actionCounts.js';
import { decisionCriteriaHash } from './criteriaHash.js';
import { formatListen, isLoopback, type ListenAddress } from '../config/listen.js';
import { startMetricsServer, type MetricsServer } from './metricsServer.js';
import { renderMetrics } from './metricsText.js';
import { otlpTarget, startOtlp, type TraceSink } from './otlp.js';
import { WindowTrace, type Observed, type SpanOp, type WindowEnd } from './spans.js';
import type { Session } from '../session/session.js';

export interface TelemetryOptions {
  /** --metrics-listen, which wins over telemetry.metrics_listen. */
  metricsListen?: ListenAddress;
  env: Record<string, string | undefined>;
  /** Start-up warnings also go here (stderr: written before the alternate screen, so still there after quit). */
  warn?: (text: string) => void;
  /** room.allowed_signers when configured: an act this console wrote without its authority is not traced as one. */
  signers?: readonly AllowedSigner[];
}

export interface TelemetryLink {
  /** Ends the window span and exports what is left (≤ 2 s); the export error, if any, for stderr. */
  stop(end: WindowEnd): Promise<string | undefined>;
}

/** How long quitting waits for the collector, and for a decision record to hash. */
export const FLUSH_TIMEOUT_MS = 2000;
const DECISION_WAIT_MS = 1000;
const SDK_LOAD_DELAY_MS = 300;

const observed = (s: WarroomState): Observed => ({
  gates: s.gates,
  actions: s.actions,
  overall: s.overall.overall,
  ...(s.ramp ? { stageIndex: s.ramp.stageIndex, rolledBack: s.ramp.rolledBack } : {}),
});

/**
 * Starts what is configured; throws (before the console draws) when /metrics cannot bind.
 * Tracing problems never throw: they are told in the event log. The SDK loads in the
 * background; the window span still starts at the console's start.
 */
export async function startTelemetry(session: Session, ledger: Ledger | undefined, clock: Clock, opts: TelemetryOptions): Promise<TelemetryLink> {
  const config = session.opts.config;
  // A replay is a past window: its state on a dashboard, or as a new trace, would read as now.
  if (session.opts.mode === 'replay') return { stop: async () => undefined };
  const redact = makeRedactor(config);
  const say = (level: 'info' | 'warn' | 'error', text: string) => session.live.event({ kind: 'system', level, text: redact(text) });
  const startedAt = clock.now();

  // Action counts of this process: the ledger lines appended from now on.
  const counts: ActionCounts = new Map();
  const offCount = ledger?.on('line', (line) => countActionLines(counts, [line], 0));

  let metrics: MetricsServer | undefined;
  try {
    metrics = await startMetrics(session, counts, startedAt, redact, say, opts);
  } catch (e) {
    offCount?.();
    throw e;
  }

  const target = otlpTarget(config.telemetry, opts.env);
  const traces = target ? startTrace(session, ledger, clock, startedAt, target.shown, say, opts.signers) : undefined;

  return {
    async stop(end: WindowEnd): Promise<string | undefined> {
      traces?.off();
      offCount?.();
      const e = await traces?.finish(end);
      const error = e ? redact(`traces: the window's spans may not have reached ${target!.shown}: ${oneLine(e, 200)}`) : undefined;
      await metrics?.close();
      return error;
    },
  };
}

/** The window trace: spans from typed events and ledger lines, exported once the SDK has loaded. */
function startTrace(session: Session, ledger: Ledger | undefined, clock: Clock, startedAt: number, shown: string, say: Say, signers?: readonly AllowedSigner[]): TraceLink {
  const { store } = session;
  const config = session.opts.config;
  const pending = new Set<Promise<void>>();
  let sink: TraceSink | undefined;
  // Ops wait here while the SDK loads, so loading it never delays the first frame.
  let queued: SpanOp[][] | undefined = [];
  let broken = false;
  const apply = (ops: SpanOp[]) => {
    if (ops.length === 0 || broken) return;
    try {
      if (sink) sink.apply(ops);
      else queued?.push(ops);
    } catch (e) {
      // Called from loop, session and ledger listeners: a tracing bug must never reach the emitter that notified.
      broken = true;
      say('error', `traces: stopped after an internal error: ${(e as Error).message}`);
    }
  };
  // In the bundle the SDK's modules evaluate synchronously once imported (~100 ms of CPU on
  // this box): start after the first frames so that work never competes with them.
  const load = () => loadOtlp(config, shown, say);
  const ready = new Promise<void>((r) => setTimeout(r, SDK_LOAD_DELAY_MS)).then(load).then(
    (s) => {
      sink = s;
      for (const ops of queued ?? []) s.apply(ops);
      queued = undefined;
    },
    (e: unknown) => {
      queued = undefined;
      say('error', `traces: cannot start the OpenTelemetry exporter: ${(e as Error).message}`);
    },
  );
  const s0 = store.getState();
  const t = newWindowTrace(config, s0);
  apply(t.start(startedAt));
  // Where the window stands now; the typed events say what changes from here.
  apply(t.observe(undefined, observed(s0), startedAt));
  const traced = (f: () => SpanOp[]) => {
    if (broken) return;
    let ops: SpanOp[];
    try {
      ops = f();
    } catch (e) {
      broken = true;
      say('error', `traces: stopped after an internal error: ${(e as Error).message}`);
      return;
    }
    apply(ops);
  };
  const { live } = session;
  const offEvents = [
    live.on('stage', (e) => traced(() => t.stage(e.to, e.rolledBack, e.at))),
    live.on('gate', (e) => traced(() => t.gate({ id: e.gate.id, from: e.from, to: e.to, value: e.value, threshold: e.threshold }, e.at))),
    live.on('overall', (e) => t.overallIs(e.to)),
    live.on('audit', (e) => traced(() => t.audit(e))),
    session.on('action', (row) => traced(() => t.actions([row]))),
  ];
  const onLine = (line: LedgerLine) => {
    // The one judge: a decision or sign-off no listed key signed is a claim, never the window's result.
    if (signers && !judgeLine(line, { signers, now: clock.now() }).ok) return;
    if (line.type !== 'decision') return apply(t.ledgerLine(line));
    const p = decisionCriteriaHash(config.audit.dir, line, DECISION_WAIT_MS, (ms) => new Promise((r) => setTimeout(r, ms))).then((criteriaHash) => {
      apply(t.ledgerLine(line, criteriaHash ? { criteriaHash } : {}));
    });
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };
  const offLedger = ledger?.on('line', onLine);
  say('info', `traces: exporting the window's spans to ${shown} (OTLP/HTTP)`);
  return {
    off: () => {
      for (const off of offEvents) off();
      offLedger?.();
    },
    async finish(end: WindowEnd): Promise<string | undefined> {
      await Promise.all([...pending]);
      apply(t.end(end, clock.now()));
      await ready;
      return sink ? await sink.shutdown(FLUSH_TIMEOUT_MS) : undefined;
    },
  };
}

interface TraceLink {
  off(): void;
  /** Ends the window span and flushes; the export error, if any. */
  finish(end: WindowEnd): Promise<string | undefined>;
}

type Say = (level: 'info' | 'warn' | 'error', text: string) => void;

/** `/metrics` when configured (the flag wins); throws when it cannot bind. */
async function startMetrics(
  session: Session,
  counts: ActionCounts,
  startedAt: number,
  redact: (text: string) => string,
  say: Say,
  opts: TelemetryOptions,
): Promise<MetricsServer | undefined> {
  const { store } = session;
  const listen = opts.metricsListen ?? session.opts.config.telemetry?.metricsListen;
  if (!listen) return undefined;
  const ver = version();
  const metrics = await startMetricsServer(listen, () => redact(renderMetrics({ state: store.getState(), actions: counts, version: ver, startedAt, memory: process.memoryUsage() })));
  say('info', `metrics: serving http://${metrics.address}/metrics`);
  if (!isLoopback(listen.host)) {
    const w = `metrics: ${formatListen(listen)} is not a loopback address: anyone who can reach it reads the room's state`;
    say('warn', w);
    opts.warn?.(redact(`warning: ${w}`));
  }
  return metrics;
}

/** Loads the OpenTelemetry SDK and starts the exporter; an export failure is told once. */
function loadOtlp(config: Session['opts']['config'], shown: string, say: Say): Promise<TraceSink> {
  let told = false;
  return startOtlp({
    telemetry: config.telemetry,
    version: version(),
    onExportError: (m) => {
      // Once: a dead collector must not flood the log every second.
      if (told) return;
      told = true;
      say('warn', `traces: export to ${shown} failed: ${oneLine(m, 200)} (the console goes on; further failures are not shown)`);
    },
  });
}

function newWindowTrace(config: Session['opts']['config'], s0: WarroomState): WindowTrace {
  return new WindowTrace({
    runId: randomUUID(),
    deployment: config.deployment.name,
    environment: config.deployment.environment,
    actor: s0.actor,
    ...(s0.role ? { role: s0.role } : {}),
    mode: s0.mode,
    readOnly: s0.readOnly,
    stages: config.ramp?.stages.map((st) => st.influence) ?? [],
  });
}
