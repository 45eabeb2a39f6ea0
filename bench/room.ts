/**
 * `npm run bench:room`: the room on NATS (issue 24) under a pty against a real nats-server.
 * Rows: the kill-switch y → request with and without `room.nats` (sessions alternate; the kill
 * never waits on the room, so the two should match within noise), and a signed sign-off made
 * on one console → shown verified on the other's screen (two consoles, two audit dirs).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import { benchConfigYaml } from './config.js';
import { spawnConsole, type PtyConsole } from './pty.js';
import { startControl, startExporter, startFeed, type ControlApi } from './servers.js';
import { median, tableLines, type Row } from './stats.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'warroom.js');
const RESULTS = join(ROOT, 'bench', 'results-room.md');
const FOOTER = 'K kill';
const KILL_CONFIRM = 'y or Enter to confirm';
const GATES = 60;
class Skip extends Error {}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function startNats(dir: string): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn('nats-server', ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', join(dir, 'js')], { stdio: 'ignore' });
  await sleep(500);
  return {
    url: `nats://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

async function killTry(pty: PtyConsole, control: ControlApi): Promise<number> {
  const since = pty.mark();
  pty.write('K');
  await pty.waitFor(KILL_CONFIRM, since, 10_000);
  await sleep(300);
  const arrival = control.nextArrival(10_000);
  const t0 = performance.now();
  pty.write('y');
  return (await arrival) - t0;
}

/** Two manual gates' worth of sign-offs per try would reuse a line: one gate per try instead. */
function signoffGates(n: number): string {
  return Array.from({ length: n }, (_, i) => `  - { id: ack${i + 1}, title: "Ack ${i + 1}", group: Readiness, source: manual, signoff_role: on_call }`).join('\n') + '\n';
}

export async function main(argv: string[]): Promise<number> {
  const sessions = Number(argv[argv.indexOf('--runs') + 1]) || 3;
  const killsPer = 6;
  const signTries = 6;
  const dir = await mkdtemp(join(tmpdir(), 'warroom-bench-room-'));
  const nats = await startNats(dir);
  const exporter = await startExporter(GATES);
  const feed = await startFeed();
  const control = await startControl();
  const without: number[] = [];
  const withRoom: number[] = [];
  const signoff: number[] = [];
  const errors: string[] = [];
  try {
    const cfg = (audit: string, room: boolean, extra = '') => {
      let y = benchConfigYaml(GATES, { exporterUrl: exporter.url, feedUrl: feed.url, controlUrl: control.url, auditDir: join(dir, audit) });
      if (extra) y = y.replace('actions:\n', `${extra}actions:\n`);
      return y + (room ? `room:\n  nats: { servers: ${JSON.stringify(nats.url)} }\n` : '');
    };
    const only = argv.includes('--signoff-only') ? 'signoff' : argv.includes('--kill-only') ? 'kill' : undefined;
    for (let i = 0; i < (only === 'signoff' ? 0 : sessions * 2); i++) {
      const room = i % 2 === 1;
      process.stderr.write(`bench:room: kill session ${i + 1}/${sessions * 2} (${room ? 'with' : 'without'} room.nats)…\n`);
      const file = join(dir, `k${i}.yaml`);
      await writeFile(file, cfg(`audit-k${i}`, room));
      const pty = spawnConsole({ cwd: dir, bin: BIN, args: ['--config', file, '--actor', 'bench'] });
      try {
        await pty.waitFor(room ? 'room 1:' : FOOTER, 0, 20_000);
        await sleep(1500);
        for (let k = 0; k < killsPer; k++) {
          (room ? withRoom : without).push(await killTry(pty, control));
          await sleep(800);
        }
      } catch (e) {
        errors.push((e as Error).message);
      } finally {
        await pty.stop();
      }
    }

    if (only === 'kill') throw new Skip();
    process.stderr.write('bench:room: sign-off on one machine → the other screen…\n');
    for (const who of ['bench-a', 'bench-b']) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', who, '-f', join(dir, who)]);
    const pub = async (who: string) => (await readFile(join(dir, `${who}.pub`), 'utf8')).split(' ').slice(0, 2).join(' ');
    await writeFile(join(dir, 'allowed_signers'), `bench-a ${await pub('bench-a')}\nbench-b ${await pub('bench-b')}\n`);
    const signCfg = (audit: string) =>
      cfg(audit, true, signoffGates(signTries)).replace('room:\n', `roles:\n  on_call: [bench-a, bench-b]\nroom:\n  allowed_signers: ${JSON.stringify(join(dir, 'allowed_signers'))}\n`);
    await writeFile(join(dir, 'sa.yaml'), signCfg('audit-sa'));
    await writeFile(join(dir, 'sb.yaml'), signCfg('audit-sb'));
    const a = spawnConsole({ cwd: dir, bin: BIN, args: ['--config', join(dir, 'sa.yaml'), '--actor', 'bench-a', '--signing-key', join(dir, 'bench-a')], cols: 200 });
    const b = spawnConsole({ cwd: dir, bin: BIN, args: ['--config', join(dir, 'sb.yaml'), '--actor', 'bench-b', '--signing-key', join(dir, 'bench-b')], cols: 200 });
    try {
      await a.waitFor('room 2:', 0, 30_000);
      await b.waitFor('room 2:', 0, 30_000);
      await sleep(1500);
      for (let i = 1; i <= signTries; i++) {
        // The grid's order follows the lights, which the exporter keeps changing: select the gate by filter.
        a.write('/');
        await sleep(100);
        a.write('\x7f'.repeat(8) + `ack${i}\r`);
        await sleep(300);
        const s0 = a.mark();
        a.write('s');
        await a.waitFor('y to confirm', s0, 5000);
        await sleep(300);
        const since = b.mark();
        const t0 = performance.now();
        a.write('y');
        // The gate row itself, signed: the event log may be squeezed off a full screen.
        signoff.push((await b.waitFor(`Ack ${i} ✓bench-a`, since, 10_000)) - t0);
        await sleep(500);
      }
    } catch (e) {
      errors.push((e as Error).message);
      if (process.env.WARROOM_BENCH_DEBUG) process.stderr.write(`${(e as Error).message}\n--- a:\n${a.text().slice(-6000)}\n--- b:\n${b.text().slice(-6000)}\n`);
    } finally {
      await a.stop();
      await b.stop();
    }
  } catch (e) {
    if (!(e instanceof Skip)) throw e;
  } finally {
    await Promise.allSettled([exporter.stop(), feed.stop(), control.stop(), nats.stop()]);
    await rm(dir, { recursive: true, force: true });
  }
  const rows: Row[] = [
    { metric: 'kill-switch: y → request received, without room.nats', unit: 'ms', samples: without, budget: '< 20 ms', digits: 1 },
    { metric: 'kill-switch: y → request received, with room.nats (a local nats-server)', unit: 'ms', samples: withRoom, budget: 'within 1 ms of the row above', digits: 1 },
    { metric: 'kill-switch: difference of the medians (with − without)', unit: 'ms', samples: [median(withRoom) - median(without)], budget: '≤ 1 ms', digits: 2 },
    { metric: 'signed sign-off: y on one console → shown verified on the other (two audit dirs, one nats-server)', unit: 'ms', samples: signoff, budget: '—', digits: 1 },
  ];
  const lines = [`<!-- warroom bench:room ${new Date().toISOString()} · node ${process.version} · ${cpus().length}× ${cpus()[0]?.model ?? '?'} -->`, ...tableLines(rows), ...errors.map((e) => `<!-- error: ${e.split('\n')[0]} -->`), ''];
  process.stdout.write(lines.join('\n'));
  await writeFile(RESULTS, lines.join('\n'));
  return 0;
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`bench:room: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    },
  );
}
