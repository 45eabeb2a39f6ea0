/**
 * Issue 14 (second half) "Done means" on the real binary in tmux: /metrics fetched with the real
 * curl, parsed by our own exposition parser and scraped by a real Prometheus; the window's
 * trace received over OTLP/HTTP by a real HTTP server, with its span tree, attributes and events.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalJson, sha256Tagged } from '../../src/audit/canonical.js';
import { parseExposition, type ExpoSample } from '../../src/sources/exposition.js';
import { BIN, entropyGate, eventually, headerInfluence, metric, overall, setInfluence, setScenario, startSim, writeE2eConfig, type Simulator } from '../helpers/e2e.js';
import { startOtlpReceiver, spanTree, type OtlpReceiver } from '../helpers/otlpReceiver.js';
import { freePort, startPrometheus, type TestPrometheus } from '../helpers/prometheus.js';
import { startSilentServer } from '../helpers/silent-server.js';
import { startTmux, type Tmux } from '../helpers/tmux.js';
import { confirm, pastGuard } from '../helpers/confirm.js';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ACTOR = 'e2e-alice';
const CURL = '/usr/bin/curl';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function console_(configPath: string, args: string[], env: Record<string, string> = {}): Tmux {
  const t = startTmux({ command: [process.execPath, BIN, '--config', configPath, '--actor', ACTOR, ...args], cols: 120, rows: 50, env }); // tall: the start-up lines stay in the event log
  cleanups.push(() => t.stop());
  return t;
}

async function sim(): Promise<Simulator> {
  const s = await startSim({ speed: 20 });
  cleanups.push(() => s.stop());
  return s;
}

/** /metrics through the real curl: headers and samples. */
async function curlMetrics(port: number): Promise<{ contentType: string; samples: ExpoSample[]; text: string }> {
  const { stdout } = await run(CURL, ['-sS', '--fail', '--max-time', '5', '-D', '-', `http://127.0.0.1:${port}/metrics`]);
  const [head, ...rest] = stdout.split('\r\n\r\n');
  const text = rest.join('\r\n\r\n');
  const contentType = /^content-type:\s*(.*)$/im.exec(head ?? '')?.[1]?.trim() ?? '';
  return { contentType, samples: parseExposition(text).samples, text };
}

function sample(samples: ExpoSample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

async function openConfirm(t: Tmux, keys: string[], text: RegExp): Promise<void> {
  t.send(...keys);
  await t.waitFor(text, 5_000, `confirm ${text}`);
  await pastGuard(); // a confirm key counts only 150 ms after the screen appeared
}

async function quit(t: Tmux): Promise<number> {
  t.send('q');
  await pastGuard();
  const s = t.capture();
  if (/y to quit|quit\?/i.test(s)) t.send('y');
  return t.exitCode(15_000);
}

describe('warroom /metrics (issue 14)', () => {
  it('curl of the real binary shows overall GO → NO-GO as the scenario degrades and the kill counted; a real Prometheus scrapes it', async () => {
    const s = await sim();
    await setInfluence(s, 10);
    await eventually(async () => (await metric(s, 'policy_influence_pct')) === 10, 5_000, 'sim influence 10');
    const ws = writeE2eConfig(s, { gates: [entropyGate()] });
    cleanups.push(() => ws.cleanup());
    const port = await freePort();
    const t = console_(ws.configPath, ['--metrics-listen', `127.0.0.1:${port}`]);
    await t.waitFor((sc) => overall(sc) === 'GO' && headerInfluence(sc) === 10, 15_000, 'overall GO at 10%');

    let m = await curlMetrics(port);
    expect(m.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(m.text).toMatch(/^# HELP warroom_overall /m);
    expect(m.text).toMatch(/^# TYPE warroom_action_total counter$/m);
    expect(sample(m.samples, 'warroom_overall', { status: 'GO' })).toBe(1);
    expect(sample(m.samples, 'warroom_overall', { status: 'NO-GO' })).toBe(0);
    expect(sample(m.samples, 'warroom_gate_status', { gate: 'entropy', group: 'Policy health', severity: 'critical', status: 'PASS' })).toBe(1);
    expect(sample(m.samples, 'warroom_gate_status', { gate: 'entropy', status: 'FAIL' })).toBe(0);
    expect(sample(m.samples, 'warroom_influence_percent')).toBe(10);
    expect(sample(m.samples, 'warroom_action_total', { action: 'kill_switch', outcome: 'verified' })).toBe(0);
    expect(sample(m.samples, 'warroom_source_up', { source: 'exporter' })).toBe(1);
    expect(sample(m.samples, 'warroom_info', { deployment: 'rl-policy-e2e', environment: 'e2e', actor: ACTOR })).toBe(1);

    const prom: TestPrometheus = await startPrometheus({ targets: [`127.0.0.1:${port}`] });
    cleanups.push(() => prom.stop());
    await prom.waitForSeries('warroom_overall{status="GO"} == 1', 30_000);

    await setScenario(s, 'entropy-collapse');
    await eventually(async () => sample((await curlMetrics(port)).samples, 'warroom_overall', { status: 'NO-GO' }) === 1, 20_000, 'warroom_overall{status="NO-GO"} 1');
    m = await curlMetrics(port);
    expect(sample(m.samples, 'warroom_overall', { status: 'GO' })).toBe(0);
    expect(sample(m.samples, 'warroom_gate_status', { gate: 'entropy', status: 'PASS' })).toBe(0);
    // PromQL through Prometheus' HTTP API: the alert an SRE would write.
    await prom.waitForSeries('warroom_overall{status="NO-GO"} == 1', 30_000);
    const nogo = (await prom.query('warroom_overall{status="NO-GO"} == 1')) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
    expect(nogo.data.result).toHaveLength(1);
    expect(nogo.data.result[0]!.metric).toMatchObject({ __name__: 'warroom_overall', status: 'NO-GO', job: 'test' });

    await openConfirm(t, ['K'], /KILL-SWITCH: influence 10% → 0%/);
    t.send('y');
    await t.waitFor(/KILL-SWITCH 10% → 0%:.*VERIFIED/, 20_000, 'kill-switch VERIFIED');
    await eventually(async () => sample((await curlMetrics(port)).samples, 'warroom_action_total', { action: 'kill_switch', outcome: 'verified' }) === 1, 10_000, 'kill verified counted');
    m = await curlMetrics(port);
    expect(sample(m.samples, 'warroom_action_total', { action: 'kill_switch', outcome: 'requested' })).toBe(1);
    expect(sample(m.samples, 'warroom_action_total', { action: 'set_influence', outcome: 'verified' })).toBe(0);
    await eventually(async () => sample((await curlMetrics(port)).samples, 'warroom_influence_percent') === 0, 10_000, 'influence 0 on /metrics');
    await prom.waitForSeries('warroom_action_total{action="kill_switch",outcome="verified"} == 1', 30_000);

    expect(await quit(t)).toBe(0);
    // The listener is gone with the console.
    await expect(run(CURL, ['-sS', '--max-time', '2', `http://127.0.0.1:${port}/metrics`])).rejects.toThrow();
  }, 120_000);

  it('a port in use is a clear start-up error (exit 64 for the flag, 78 for the config key), never a crash', async () => {
    const s = await sim();
    const blocker: Server = createServer();
    const port = await freePort();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise((r) => blocker.close(() => r(undefined))));

    const ws = writeE2eConfig(s, { gates: [entropyGate()] });
    cleanups.push(() => ws.cleanup());
    const t = console_(ws.configPath, ['--metrics-listen', `127.0.0.1:${port}`]);
    expect(await t.exitCode(15_000)).toBe(64);
    expect(t.capture()).toContain(`warroom: cannot serve /metrics on 127.0.0.1:${port}: the address is already in use`);
    expect(t.capture()).not.toMatch(/at .*\.js:\d+/); // no stack trace

    const ws2 = writeE2eConfig(s, { gates: [entropyGate()], extra: { telemetry: { metrics_listen: `127.0.0.1:${port}` } } });
    cleanups.push(() => ws2.cleanup());
    const t2 = console_(ws2.configPath, []);
    expect(await t2.exitCode(15_000)).toBe(78);
    expect(t2.capture()).toContain('the address is already in use');
    // The audit dir's lock was released: the next console takes it as ledger.jsonl's writer.
    expect(ws2.auditFiles()).not.toContain('ledger.jsonl.lock');
  }, 60_000);
});

describe('warroom OpenTelemetry traces (issue 14)', () => {
  it('a window — stage advanced, GO decided, kill-switch — arrives as a RUN span with a stage child span and its events', async () => {
    const rx: OtlpReceiver = await startOtlpReceiver();
    cleanups.push(() => rx.close());
    const s = await sim();
    await setInfluence(s, 0);
    await eventually(async () => (await metric(s, 'policy_influence_pct')) === 0, 5_000, 'sim influence 0');
    const ws = writeE2eConfig(s, {
      gates: [entropyGate()],
      ramp: { start: 'manual', max_step: 25, stages: [{ influence: 10, hold: '2h' }, { influence: 25, hold: '2h' }] },
      extra: { telemetry: { otlp: { endpoint: rx.url } } },
    });
    cleanups.push(() => ws.cleanup());
    const mport = await freePort();
    const t = console_(ws.configPath, ['--metrics-listen', `0.0.0.0:${mport}`]);
    await t.waitFor((sc) => overall(sc) === 'GO' && headerInfluence(sc) === 0, 15_000, 'overall GO at 0%');

    await openConfirm(t, ['n'], /ADVANCE TO NEXT STAGE 0% → 10%/);
    t.send('y');
    await t.waitFor(/influence 0% → 10%:.*VERIFIED/, 20_000, 'advance VERIFIED');
    await t.waitFor((sc) => headerInfluence(sc) === 10, 10_000, 'influence 10%');

    t.send('d');
    await t.waitFor(/RECORD DECISION/, 5_000, 'decision prompt');
    t.send('g');
    await t.waitFor(/justification: _/, 5_000, 'justification prompt');
    t.type('stage 1 healthy');
    t.send('Enter');
    await t.waitFor(/Writes the decision record/, 5_000, 'decision confirm');
    await confirm(t);
    await eventually(() => ws.auditFiles().some((f) => f.endsWith('_go_nogo.json')), 10_000, 'the decision record');

    await openConfirm(t, ['K'], /KILL-SWITCH: influence 10% → 0%/);
    t.send('y');
    await t.waitFor(/KILL-SWITCH 10% → 0%:.*VERIFIED/, 20_000, 'kill VERIFIED');
    await t.waitFor((sc) => headerInfluence(sc) === 0, 10_000, 'influence 0%');
    expect(await quit(t)).toBe(0);
    // Said before the console drew, so it is on the terminal after quit.
    expect(t.capture()).toContain(`warroom: warning: metrics: 0.0.0.0:${mport} is not a loopback address`);
    await eventually(() => rx.spans().some((x) => x.span.kind === 2), 10_000, 'the window span');

    const spans = rx.spans();
    console.log(`span tree of the e2e window:\n${spanTree(spans)}`);
    const win = spans.find((x) => x.span.name === 'RUN rl-policy-e2e')!;
    expect(win).toBeDefined();
    expect(win.span.kind).toBe(2); // SERVER
    expect(win.resource['service.name']).toBe('warroom');
    expect(win.attrs).toMatchObject({
      'cicd.pipeline.name': 'rl-policy-e2e',
      'cicd.pipeline.action.name': 'RUN',
      'cicd.pipeline.result': 'failure',
      'deployment.name': 'rl-policy-e2e',
      'deployment.environment.name': 'e2e',
      'deployment.status': 'failed',
      'error.type': 'rolled_back',
      'warroom.actor': ACTOR,
      'warroom.decision': 'GO',
    });
    expect(win.attrs['cicd.pipeline.run.id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(win.span.status?.code).toBe(2); // ERROR

    const stages = spans.filter((x) => x.attrs['cicd.pipeline.task.type'] === 'deploy');
    expect(stages.map((x) => x.span.name)).toEqual(['stage 1 10%']);
    const stage = stages[0]!;
    expect(stage.span.parentSpanId).toBe(win.span.spanId);
    expect(stage.span.traceId).toBe(win.span.traceId);
    expect(stage.attrs).toMatchObject({ 'cicd.pipeline.task.run.result': 'failure', 'warroom.stage.influence_pct': 10 });
    expect(BigInt(stage.span.startTimeUnixNano)).toBeGreaterThanOrEqual(BigInt(win.span.startTimeUnixNano));
    expect(BigInt(stage.span.endTimeUnixNano)).toBeLessThanOrEqual(BigInt(win.span.endTimeUnixNano));

    const events = spans.flatMap((x) => x.events.map((e) => ({ ...e, span: x.span.name })));
    const gate = events.find((e) => e.name === 'warroom.gate.status' && e.attrs['warroom.gate.id'] === 'entropy');
    expect(gate?.attrs).toMatchObject({ 'warroom.gate.from': 'UNKNOWN', 'warroom.gate.to': 'PASS', 'warroom.gate.threshold': '>= 0.9 (warn >= 0.8)' });
    expect(typeof gate?.attrs['warroom.gate.value']).toBe('number');

    const ledger = ws.ledger();
    const killKey = ledger.find((l) => l.action === 'kill_switch')!.idempotency_key;
    const kill = events.filter((e) => e.attrs['warroom.action.name'] === 'kill_switch');
    expect(kill.every((e) => e.attrs['warroom.action.idempotency_key'] === killKey)).toBe(true);
    // The ledger's phases and, between them, the steps the screen showed: sent → acknowledged → verified.
    expect(kill.map((e) => (e.name === 'warroom.action.step' ? `step ${String(e.attrs['warroom.action.step'])}` : e.name))).toEqual(
      expect.arrayContaining(['warroom.action.requested', 'step sent', 'step acknowledged', 'step verified', 'warroom.action.verified']),
    );
    const steps = kill.filter((e) => e.name === 'warroom.action.step').map((e) => String(e.attrs['warroom.action.step']));
    expect(steps.indexOf('sent')).toBeLessThan(steps.indexOf('acknowledged'));
    expect(steps.indexOf('acknowledged')).toBeLessThan(steps.indexOf('verified'));
    const killVerified = events.find((e) => e.name === 'warroom.action.verified' && e.attrs['warroom.action.name'] === 'kill_switch')!;
    expect(killVerified.attrs).toMatchObject({ 'warroom.action.idempotency_key': killKey, 'warroom.action.from_pct': 10, 'warroom.action.to_pct': 0 });
    const advance = events.find((e) => e.name === 'warroom.action.verified' && e.attrs['warroom.action.name'] === 'set_influence');
    expect(advance?.attrs).toMatchObject({ 'warroom.action.to_pct': 10 });

    const decision = events.find((e) => e.name === 'deployment.gate')!;
    const file = ws.auditFiles().find((f) => f.endsWith('_go_nogo.json'))!;
    const record = JSON.parse(readFileSync(join(ws.auditDir, file), 'utf8')) as { criteria: unknown[]; hash: string };
    expect(decision.span).toBe('stage 1 10%');
    expect(decision.attrs).toMatchObject({
      'deployment.gate.decision': 'GO',
      'deployment.gate.actor': ACTOR,
      'deployment.gate.criteria_hash': sha256Tagged(canonicalJson(record.criteria)),
      'deployment.gate.record_hash': record.hash,
    });
  }, 120_000);

  it('OTEL_* environment: endpoint, service name and headers as the SDK reads them; a window with nothing done is `skip`', async () => {
    const rx = await startOtlpReceiver();
    cleanups.push(() => rx.close());
    const s = await sim();
    const ws = writeE2eConfig(s, { gates: [entropyGate()] });
    cleanups.push(() => ws.cleanup());
    const t = console_(ws.configPath, [], { OTEL_EXPORTER_OTLP_ENDPOINT: rx.url, OTEL_SERVICE_NAME: 'warroom-e2e', OTEL_EXPORTER_OTLP_HEADERS: 'x-collector-token=tok-123' });
    await t.waitFor((sc) => overall(sc) === 'GO', 15_000, 'overall GO');
    expect(await quit(t)).toBe(0);
    await eventually(() => rx.spans().length > 0, 10_000, 'the window span');
    const [win] = rx.spans();
    expect(win!.resource['service.name']).toBe('warroom-e2e');
    expect(win!.attrs['cicd.pipeline.result']).toBe('skip');
    expect(win!.attrs['deployment.status']).toBeUndefined();
    expect(rx.requests()[0]!.headers['x-collector-token']).toBe('tok-123');
    expect(rx.requests()[0]!.contentType).toMatch(/^application\/json/);
  }, 60_000);

  it('a dead collector never blocks: the failure is shown once, quit is bounded by the 2 s flush, exit 0', async () => {
    const s = await sim();
    await setInfluence(s, 0);
    await eventually(async () => (await metric(s, 'policy_influence_pct')) === 0, 5_000, 'sim influence 0');
    const dead = await freePort(); // nothing listens there
    const ws = writeE2eConfig(s, {
      gates: [entropyGate()],
      ramp: { start: 'manual', max_step: 25, stages: [{ influence: 10, hold: '2h' }, { influence: 25, hold: '2h' }] },
      extra: { telemetry: { otlp: { endpoint: `http://127.0.0.1:${dead}` } } },
    });
    cleanups.push(() => ws.cleanup());
    const t = console_(ws.configPath, []);
    await t.waitFor((sc) => overall(sc) === 'GO', 15_000, 'overall GO');
    // Stage 1 then stage 2: ending stage 1's span is the first export; the kill ends stage 2's, the second.
    for (const [from, to] of [[0, 10], [10, 25]] as const) {
      await openConfirm(t, ['n'], new RegExp(`ADVANCE TO NEXT STAGE ${from}% → ${to}%`));
      t.send('y');
      await t.waitFor((sc) => headerInfluence(sc) === to, 20_000, `influence ${to}%`);
    }
    await t.waitFor(/traces: export to http:\/\/127\.0\.0\.1:\d+ failed/, 20_000, 'the export failure in the event log');
    await openConfirm(t, ['K'], /KILL-SWITCH: influence 25% → 0%/);
    t.send('y');
    await t.waitFor(/KILL-SWITCH 25% → 0%:.*VERIFIED/, 20_000, 'kill VERIFIED');
    await sleep(3_000); // the stage 2 span's export fails too, within its 1 s batch delay
    expect(t.capture().match(/traces: export to/g)).toHaveLength(1);
    const quitAt = Date.now();
    expect(await quit(t)).toBe(0);
    // Generous for the loaded box; a hang on the dead collector would be the exporter's 10 s+ timeouts.
    expect(Date.now() - quitAt).toBeLessThan(8_000);
    expect(t.capture()).toMatch(/warroom: traces: the window's spans may not have reached http:\/\/127\.0\.0\.1:\d+/);
  }, 60_000);

  it('a collector that takes the request and never answers: quit still waits at most the 2 s flush, and says so', async () => {
    const silent = await startSilentServer();
    cleanups.push(() => silent.stop());
    const s = await sim();
    const ws = writeE2eConfig(s, { gates: [entropyGate()], extra: { telemetry: { otlp: { endpoint: silent.url } } } });
    cleanups.push(() => ws.cleanup());
    const t = console_(ws.configPath, []);
    await t.waitFor((sc) => overall(sc) === 'GO', 15_000, 'overall GO');
    const quitAt = Date.now();
    expect(await quit(t)).toBe(0);
    expect(Date.now() - quitAt).toBeLessThan(8_000);
    expect(silent.requests()).toBeGreaterThanOrEqual(1); // the window span was offered
    expect(t.capture()).toMatch(/warroom: traces: the window's spans may not have reached http:\/\/127\.0\.0\.1:\d+: /);
  }, 60_000);
});
