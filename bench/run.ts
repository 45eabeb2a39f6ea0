/**
 * `npm run bench [-- --quick] [-- --runs N]`: the real compiled console under a pty against
 * loopback servers this process starts; prints medians (min–max) as Markdown table rows and
 * writes them to bench/results.md. Figures, not pass/fail: always exits 0 unless it cannot run.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchConfigYaml } from './config.js';
import { evaluateSamples } from './micro.js';
import { chunksToConfirm, emptyChunkTimes, type ChunkTimes } from './keys.js';
import { anonRssMb, cpuSeconds, rssMb, spawnConsole, type PtyConsole } from './pty.js';
import { startControl, startExporter, startFeed, startNotifyReceivers, type ControlApi, type FeedServer, type NotifyReceivers } from './servers.js';
import { tableLines, type Row } from './stats.js';
import { checkPeerRows, type CheckBin } from './checkPeers.js';
import { longRows } from './long.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEFAULT_BIN = join(ROOT, 'bin', 'warroom.js');
// A --quick run (CI) must not overwrite the full table kept in bench/results.md.
const RESULTS = join(ROOT, 'bench', 'results.md');
const RESULTS_QUICK = join(ROOT, 'bench', 'results-quick.md');
// `--check N` alone (A/B of check builds) must not overwrite the full tables either.
const RESULTS_CHECK = join(ROOT, 'bench', 'results-check.md');

const FOOTER = 'K kill';
const KILL_CONFIRM = 'y or Enter to confirm';
const CONFIRM_WAIT_MS = 300;
const GATES = 60;
const BURST_RATE = 5000;
/** Issue 11's flood: distinct firing page alerts, each with a 6 KB summary. */
const FLOOD_ALERTS = 10_000;
const FLOOD_SUMMARY_BYTES = 6 * 1024;

interface Plan {
  quick: boolean;
  /** The launcher to measure (`--bin FILE`, for A/B runs of two builds). */
  bin: string;
  sessions: number;
  extraStartups: number;
  pollMs: number;
  /** When the steady-state polling window starts, counted from the first frame. */
  steadyAfterMs: number;
  burstMs: number;
  killsPerSession: number;
  evalIterations: number;
  /** Tries of "keys in one write → kill confirm", idle and during a feed burst. */
  chunkTries: number;
  chunkBurstTries: number;
  /** `--keys N`: only the keys-in-one-chunk rows (A/B of two builds in seconds). */
  keysOnly: boolean;
  /** `--notify-sinks`: three notification sinks (one hanging), each posting status every second. */
  notifySinks?: boolean;
}

function plan(argv: string[]): Plan {
  const quick = argv.includes('--quick');
  const option = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const count = (v: string | undefined) => (v === undefined ? undefined : Math.max(1, Math.min(20, Number(v) || 1)));
  const runs = count(option('--runs'));
  const given = option('--bin');
  const bin = given ? resolve(given) : DEFAULT_BIN;
  // --startup N: startup only, N spawns (A/B of launchers without the 30 s sessions).
  const startups = count(option('--startup'));
  const none = { chunkTries: 0, chunkBurstTries: 0, keysOnly: false };
  const notifySinks = argv.includes('--notify-sinks') ? { notifySinks: true } : {};
  if (startups) return { quick: true, bin, sessions: 0, extraStartups: startups, pollMs: 0, steadyAfterMs: 0, burstMs: 0, killsPerSession: 0, evalIterations: 10, ...none };
  const keys = count(option('--keys'));
  if (keys) return { quick: true, bin, sessions: 1, extraStartups: 0, pollMs: 0, steadyAfterMs: 0, burstMs: 0, killsPerSession: 0, evalIterations: 10, chunkTries: keys, chunkBurstTries: keys, keysOnly: true };
  if (quick) return { quick, bin, sessions: runs ?? 1, extraStartups: 0, pollMs: 3000, steadyAfterMs: 8000, burstMs: 1000, killsPerSession: 1, evalIterations: 100, chunkTries: 4, chunkBurstTries: 2, keysOnly: false, ...notifySinks };
  return { quick, bin, sessions: runs ?? 3, extraStartups: 2, pollMs: 15_000, steadyAfterMs: 60_000, burstMs: 6000, killsPerSession: 3, evalIterations: 500, chunkTries: 6, chunkBurstTries: 4, keysOnly: false, ...notifySinks };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Samples {
  startup: number[];
  startupCpu: number[];
  /** Startups on the config of the run before (its parse kept: src/cli/configTrees.ts). */
  startupAgain: number[];
  pollCpu: number[];
  steadyCpu: number[];
  frameRate: number[];
  kill: number[];
  killAfterBurst: number[];
  burstCpu: number[];
  floodConfirm: number[];
  floodKill: number[];
  rssBefore: number[];
  rssAfter: number[];
  evalMs: number[];
  chunk: ChunkTimes;
  chunkBurst: ChunkTimes;
  /** The console's RSS at the end of the steady window. */
  steadyRss: number[];
  /** Of it, the console's own memory (RssAnon): what the node binary's shared pages do not count. */
  steadyAnon: number[];
  /** The bare Ink grid app (bench/peers/ink-grid.mjs), same window from its first frame. */
  peerCpu: number[];
  peerRss: number[];
  peerAnon: number[];
}

const INK_PEER = join(ROOT, 'bench', 'peers', 'ink-grid.mjs');

/** One session of the bare Ink app: steady CPU over the same window as the console's, then RSS. */
async function inkPeerSession(p: Plan, s: Samples): Promise<void> {
  // Tall enough for its 61 lines: a frame as tall as the terminal would make Ink clear on each.
  const pty = spawnConsole({ cwd: ROOT, bin: INK_PEER, args: [String(GATES)], rows: GATES + 10 });
  try {
    const shown = await pty.waitFor('grid ready', 0, 15_000);
    const pid = await pty.nodePid();
    await sleep(Math.max(0, shown + p.steadyAfterMs - performance.now()));
    s.peerCpu.push(await cpuWindow(pid, p.pollMs));
    s.peerRss.push(rssMb(pid));
    s.peerAnon.push(anonRssMb(pid));
  } finally {
    await pty.stop();
  }
}

/** Keys in one write → kill confirm, idle, then while the feed bursts (the burst outlasts the tries). */
async function chunkRows(p: Plan, s: Samples, pty: PtyConsole, feed: FeedServer): Promise<void> {
  await chunksToConfirm(pty, KILL_CONFIRM, p.chunkTries, s.chunk);
  if (p.chunkBurstTries === 0) return;
  const burst = feed.burst(BURST_RATE, p.chunkBurstTries * 1300 + 500);
  await sleep(300);
  await chunksToConfirm(pty, KILL_CONFIRM, p.chunkBurstTries, s.chunkBurst);
  await burst;
}

/** CPU % of one core the process used over the next `ms`. */
async function cpuWindow(pid: number, ms: number): Promise<number> {
  const c0 = cpuSeconds(pid);
  const t0 = performance.now();
  await sleep(ms);
  return ((cpuSeconds(pid) - c0) / ((performance.now() - t0) / 1000)) * 100;
}

/** K, wait for the confirm screen, wait out the guard, y: ms from writing y to the request arriving. */
async function killOnce(pty: PtyConsole, control: ControlApi): Promise<number> {
  return (await killTimed(pty, control)).request;
}

/** As killOnce, also timing K → the confirm screen drawn. */
async function killTimed(pty: PtyConsole, control: ControlApi, timeoutMs = 10_000): Promise<{ confirm: number; request: number }> {
  const since = pty.mark();
  const k0 = performance.now();
  pty.write('K');
  const shown = await pty.waitFor(KILL_CONFIRM, since, timeoutMs);
  await sleep(CONFIRM_WAIT_MS);
  const arrival = control.nextArrival(timeoutMs);
  const t0 = performance.now();
  pty.write('y');
  const at = await arrival;
  return { confirm: shown - k0, request: at - t0 };
}

/**
 * Startups on one config file, as a release captain starts the console again on the same
 * config: the first run (kept open long enough to keep its parsed config) is not counted.
 */
async function startupsAgain(p: Plan, n: number, targets: { exporterUrl: string; feed: FeedServer; control: ControlApi }): Promise<number[]> {
  const dir = await mkdtemp(join(tmpdir(), 'warroom-bench-'));
  const cfgFile = join(dir, 'warroom.yaml');
  await writeFile(cfgFile, benchConfigYaml(GATES, { exporterUrl: targets.exporterUrl, feedUrl: targets.feed.url, controlUrl: targets.control.url, auditDir: join(dir, 'audit') }));
  const out: number[] = [];
  try {
    for (let i = 0; i <= n; i++) {
      process.stderr.write(`bench: startup on the same config ${i}/${n}…\n`);
      const pty = spawnConsole({ cwd: dir, bin: p.bin, args: ['--config', cfgFile, '--actor', 'bench'] });
      try {
        const shown = await pty.waitFor(FOOTER, 0, 15_000);
        if (i === 0) await sleep(3000);
        else out.push(shown - pty.spawnedAt);
      } finally {
        await pty.stop();
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return out;
}

async function session(p: Plan, s: Samples, targets: { exporterUrl: string; feed: FeedServer; control: ControlApi; notify?: NotifyReceivers }, full: boolean): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'warroom-bench-'));
  const cfgFile = join(dir, 'warroom.yaml');
  await writeFile(cfgFile, benchConfigYaml(GATES, { exporterUrl: targets.exporterUrl, feedUrl: targets.feed.url, controlUrl: targets.control.url, auditDir: join(dir, 'audit'), ...(targets.notify ? { notify: targets.notify.sinks } : {}) }));
  const pty = spawnConsole({ cwd: dir, bin: p.bin, args: ['--config', cfgFile, '--actor', 'bench'] });
  try {
    const shown = await pty.waitFor(FOOTER, 0, 15_000);
    s.startup.push(shown - pty.spawnedAt);
    // CPU the console spent to get there: steadier than wall time on a shared 2-core machine.
    s.startupCpu.push(cpuSeconds(await pty.nodePid()) * 1000);
    if (!full) return;
    if (p.keysOnly) {
      await sleep(1500);
      return await chunkRows(p, s, pty, targets.feed);
    }
    const pid = await pty.nodePid();
    // The first window starts once the first scrapes and the feed connection have settled:
    // what the console costs in its first seconds, V8 still compiling its hot functions.
    await sleep(1500);
    const first = await cpuWindow(pid, p.pollMs);
    s.pollCpu.push(first);
    // The second is what it costs for the rest of a deployment window.
    await sleep(Math.max(0, shown + p.steadyAfterMs - performance.now()));
    const f0 = pty.frames();
    const t0 = performance.now();
    s.steadyCpu.push(await cpuWindow(pid, p.pollMs));
    s.frameRate.push((pty.frames() - f0) / ((performance.now() - t0) / 1000));
    s.steadyRss.push(rssMb(pid));
    s.steadyAnon.push(anonRssMb(pid));

    for (let k = 0; k < p.killsPerSession; k++) {
      s.kill.push(await killOnce(pty, targets.control));
      await sleep(1000);
    }
    await chunkRows(p, s, pty, targets.feed);

    s.rssBefore.push(rssMb(pid));
    const b0 = cpuSeconds(pid);
    const bt0 = performance.now();
    await targets.feed.burst(BURST_RATE, p.burstMs);
    const bdt = (performance.now() - bt0) / 1000;
    s.burstCpu.push(((cpuSeconds(pid) - b0) / bdt) * 100);
    s.rssAfter.push(rssMb(pid));
    s.killAfterBurst.push(await killOnce(pty, targets.control));

    // The 10k-alert flood: K as soon as the feed server has written the last alert, while the
    // console is still taking them in.
    await sleep(1000);
    const { cleared } = await targets.feed.flood(FLOOD_ALERTS, FLOOD_SUMMARY_BYTES);
    const k = await killTimed(pty, targets.control, 30_000);
    s.floodConfirm.push(k.confirm);
    s.floodKill.push(k.request);
    await cleared;
  } finally {
    await pty.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** `check` against its stdlib-Python peer (bench/checkPeers.ts); a note instead when it cannot run here. */
async function checkSection(argv: string[], p: Plan, rounds: number, sizes: number[]): Promise<string[]> {
  const i = argv.indexOf('--base');
  const bins: CheckBin[] = [{ label: 'warroom', path: p.bin }, ...(i >= 0 && argv[i + 1] ? [{ label: 'base', path: resolve(argv[i + 1]!) }] : [])];
  try {
    const r = await checkPeerRows({ root: ROOT, sizes, rounds, bins });
    return ['', ...r.lines, ...r.errors.map((e) => `<!-- ${e.split('\n')[0]} -->`)];
  } catch (e) {
    return ['', `<!-- check vs peer not run: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]} -->`];
  }
}

/**
 * `--steady N [--base FILE[,FILE…]] [--after S] [--window S]`: only the console's steady polling CPU, frames and
 * RSS, N rounds alternating this build, the base build and the bare Ink peer (A/B of render changes
 * without the bursts; a round takes ~(S + window + 5) s per launcher).
 */
async function steadyOnly(argv: string[], p: Plan, rounds: number): Promise<string[]> {
  const opt = (name: string, dflt: number) => {
    const i = argv.indexOf(name);
    return i >= 0 ? Number(argv[i + 1]) || dflt : dflt;
  };
  const q: Plan = { ...p, steadyAfterMs: opt('--after', 20) * 1000, pollMs: opt('--window', 10) * 1000 };
  const bi = argv.indexOf('--base');
  const bins = [{ label: 'this build', bin: p.bin }, ...(bi >= 0 && argv[bi + 1] ? argv[bi + 1]!.split(',').map((f, k) => ({ label: k ? `base ${k + 1}` : 'base', bin: resolve(f) })) : [])];
  const got = bins.map(() => ({ cpu: [] as number[], frames: [] as number[], rss: [] as number[], anon: [] as number[] }));
  const peer = { cpu: [] as number[], rss: [] as number[], anon: [] as number[] };
  const exporter = await startExporter(GATES);
  const feed = await startFeed();
  const control = await startControl();
  try {
    for (let r = 0; r < rounds; r++) {
      // Alternate the order each round, so neither build always runs in the same phase of the load.
      const order = r % 2 === 0 ? bins.map((_, i) => i) : bins.map((_, i) => i).reverse();
      for (const i of order) {
        process.stderr.write(`bench: steady ${r + 1}/${rounds}, ${bins[i]!.label}…\n`);
        const dir = await mkdtemp(join(tmpdir(), 'warroom-bench-'));
        const cfgFile = join(dir, 'warroom.yaml');
        await writeFile(cfgFile, benchConfigYaml(GATES, { exporterUrl: exporter.url, feedUrl: feed.url, controlUrl: control.url, auditDir: join(dir, 'audit') }));
        const pty = spawnConsole({ cwd: dir, bin: bins[i]!.bin, args: ['--config', cfgFile, '--actor', 'bench'] });
        try {
          const shown = await pty.waitFor(FOOTER, 0, 15_000);
          const pid = await pty.nodePid();
          await sleep(Math.max(0, shown + q.steadyAfterMs - performance.now()));
          const f0 = pty.frames();
          const t0 = performance.now();
          got[i]!.cpu.push(await cpuWindow(pid, q.pollMs));
          got[i]!.frames.push((pty.frames() - f0) / ((performance.now() - t0) / 1000));
          got[i]!.rss.push(rssMb(pid));
          got[i]!.anon.push(anonRssMb(pid));
        } finally {
          await pty.stop();
          await rm(dir, { recursive: true, force: true });
        }
      }
      process.stderr.write(`bench: steady ${r + 1}/${rounds}, bare Ink app…\n`);
      const ps: Samples = { peerCpu: [], peerRss: [], peerAnon: [] } as unknown as Samples;
      await inkPeerSession(q, ps);
      peer.cpu.push(...ps.peerCpu);
      peer.rss.push(...ps.peerRss);
      peer.anon.push(...ps.peerAnon);
    }
  } finally {
    await Promise.allSettled([exporter.stop(), feed.stop(), control.stop()]);
  }
  const w = `${q.pollMs / 1000} s from ${q.steadyAfterMs / 1000} s after the first frame`;
  const rows: Row[] = bins.flatMap((b, i) => [
    { metric: `${b.label}: polling CPU, ${GATES} gates at 1 s, ${w}`, unit: '% of a core', samples: got[i]!.cpu, budget: '—' },
    { metric: `${b.label}: frames drawn`, unit: '/s', samples: got[i]!.frames, budget: '—' },
    { metric: `${b.label}: RSS at the end of the window`, unit: 'MB', samples: got[i]!.rss, budget: '≤ 100 MB' },
    { metric: `${b.label}: of it its own memory (RssAnon; the rest is mostly the node binary's shared pages)`, unit: 'MB', samples: got[i]!.anon, budget: '—' },
    { metric: `${b.label}: ratio to the bare Ink app (same round)`, unit: 'x', samples: got[i]!.cpu.map((x, k) => x / peer.cpu[k]!), budget: '≤ 0.33x', digits: 2 },
  ]);
  rows.push({ metric: `peer: bare Ink app (bench/peers/ink-grid.mjs), CPU, same window`, unit: '% of a core', samples: peer.cpu, budget: '—' }, { metric: 'peer: RSS', unit: 'MB', samples: peer.rss, budget: '—' }, { metric: 'peer: of it its own memory (RssAnon)', unit: 'MB', samples: peer.anon, budget: '—' });
  return tableLines(rows);
}

/** The flags `main` reads, with whether each takes a value. */
const FLAGS: Record<string, boolean> = {
  '--quick': false, '--notify-sinks': false, '--runs': true, '--bin': true, '--base': true, '--startup': true,
  '--keys': true, '--steady': true, '--after': true, '--window': true, '--long': true, '--check': true,
};
const USAGE = `usage: node dist/bench/run.js [--quick | --runs N] [--bin FILE] [--notify-sinks]
       node dist/bench/run.js --startup N | --keys N [--bin FILE]
       node dist/bench/run.js --steady N [--base FILE[,FILE…]] [--after S] [--window S]
       node dist/bench/run.js --check N [--base FILE]
       node dist/bench/run.js --long MIN
(BENCHMARKS.md says what each mode measures)`;

/** An unknown flag (or --help) is an error, not a full 10-minute run recorded under that command line. */
function badFlags(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!(a in FLAGS)) return a === '--help' || a === '-h' ? '' : `unknown argument: ${a}`;
    if (FLAGS[a]) {
      if (argv[i + 1] === undefined || argv[i + 1]!.startsWith('--')) return `${a} needs a value`;
      i++;
    }
  }
  return undefined;
}

export async function main(argv: string[]): Promise<number> {
  const bad = badFlags(argv);
  if (bad !== undefined) {
    (bad ? process.stderr : process.stdout).write(`${bad ? `bench: ${bad}\n` : ''}${USAGE}\n`);
    return bad ? 2 : 0;
  }
  const p = plan(argv);
  const si = argv.indexOf('--steady');
  if (si >= 0) {
    const lines = [`<!-- warroom bench --steady ${new Date().toISOString()} · node ${process.version} · load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} · command: node dist/bench/run.js ${argv.join(' ')} -->`, ...(await steadyOnly(argv, p, Math.max(1, Number(argv[si + 1]) || 3))), ''];
    process.stdout.write(lines.join('\n'));
    return 0;
  }
  const li = argv.indexOf('--long');
  if (li >= 0) {
    // --long MIN: RSS and heap over a long window and a compressed 2-hour one (bench/long.ts).
    const minutes = Math.max(2, Number(argv[li + 1]) || 10);
    const lines = [`<!-- warroom bench --long ${new Date().toISOString()} · node ${process.version} · load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} · command: node dist/bench/run.js ${argv.join(' ')} -->`, ...tableLines(await longRows(p.bin, GATES, minutes)), ''];
    process.stdout.write(lines.join('\n'));
    return 0;
  }
  const ci = argv.indexOf('--check');
  if (ci >= 0) {
    // --check N: only the check-vs-peer rows, N alternating rounds.
    const lines = [`<!-- warroom bench --check ${new Date().toISOString()} · node ${process.version} · ${cpus().length}× ${cpus()[0]?.model ?? '?'} · load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} · command: node dist/bench/run.js ${argv.join(' ')} -->`, ...(await checkSection(argv, p, Math.max(1, Number(argv[ci + 1]) || 3), [10, 200, 1000])), ''];
    process.stdout.write(lines.join('\n'));
    await writeFile(RESULTS_CHECK, lines.join('\n'));
    return 0;
  }
  const s: Samples = { startup: [], startupCpu: [], startupAgain: [], pollCpu: [], steadyCpu: [], frameRate: [], kill: [], killAfterBurst: [], burstCpu: [], floodConfirm: [], floodKill: [], rssBefore: [], rssAfter: [], evalMs: [], chunk: emptyChunkTimes(), chunkBurst: emptyChunkTimes(), steadyRss: [], steadyAnon: [], peerCpu: [], peerRss: [], peerAnon: [] };
  const exporter = await startExporter(GATES);
  const feed = await startFeed();
  const control = await startControl();
  const notify = p.notifySinks ? await startNotifyReceivers() : undefined;
  const errors: string[] = [];
  try {
    const total = p.sessions + p.extraStartups;
    for (let i = 0; i < total; i++) {
      const full = i < p.sessions;
      process.stderr.write(`bench: ${full ? 'session' : 'startup'} ${i + 1}/${total}…\n`);
      try {
        await session(p, s, { exporterUrl: exporter.url, feed, control, ...(notify ? { notify } : {}) }, full);
        // The peer right after each full session, so the pair shares the machine's phase.
        if (full && !p.quick) {
          process.stderr.write(`bench: bare Ink grid app ${i + 1}/${p.sessions}…\n`);
          await inkPeerSession(p, s);
        }
      } catch (e) {
        errors.push(e instanceof Error ? e.message : String(e));
        process.stderr.write(`bench: run ${i + 1} failed: ${errors.at(-1)}\n`);
      }
    }
    if (!p.keysOnly) try {
      s.startupAgain = await startupsAgain(p, Math.max(3, p.extraStartups), { exporterUrl: exporter.url, feed, control });
    } catch (e) {
      errors.push(e instanceof Error ? e.message : String(e));
    }
  } finally {
    await Promise.allSettled([exporter.stop(), feed.stop(), control.stop(), ...(notify ? [notify.stop()] : [])]);
  }
  if (notify) process.stderr.write(`bench: notification receivers got ${notify.received()} request(s)\n`);
  process.stderr.write('bench: gate engine…\n');
  s.evalMs = evaluateSamples(1000, p.evalIterations);

  const burstS = p.burstMs / 1000;
  const pollS = p.pollMs / 1000;
  const rows: Row[] = [
    { metric: 'startup: spawn → first complete frame', unit: 'ms', samples: s.startup, budget: '< 600 ms', digits: 0 },
    { metric: 'startup: CPU of the console until that frame', unit: 'ms', samples: s.startupCpu, budget: '—', digits: 0 },
    { metric: 'startup on the config of the run before (its parse kept): spawn → first complete frame', unit: 'ms', samples: s.startupAgain, budget: '≤ 250 ms', digits: 0 },
    { metric: `polling CPU, ${GATES} gates at 1 s, ${pollS} s from ${p.steadyAfterMs / 1000} s after start`, unit: '% of a core', samples: s.steadyCpu, budget: '< 3 %' },
    { metric: `polling CPU, same, ${pollS} s from 1.5 s after start (V8 still compiling)`, unit: '% of a core', samples: s.pollCpu, budget: '—' },
    { metric: 'frames drawn while polling', unit: '/s', samples: s.frameRate, budget: '—' },
    { metric: 'kill-switch: y → request received', unit: 'ms', samples: s.kill, budget: '< 20 ms', digits: 1 },
    { metric: `kill-switch right after ${BURST_RATE} msg/s × ${burstS} s burst`, unit: 'ms', samples: s.killAfterBurst, budget: '< 100 ms', digits: 1 },
    { metric: `CPU during the ${BURST_RATE} msg/s burst`, unit: '% of a core', samples: s.burstCpu, budget: '—' },
    { metric: `kill-switch during a 10k-alert flood (6 KB summaries): K → confirm on screen`, unit: 'ms', samples: s.floodConfirm, budget: '< 200 ms', digits: 1 },
    { metric: `kill-switch during a 10k-alert flood (6 KB summaries): y → request received`, unit: 'ms', samples: s.floodKill, budget: '< 100 ms', digits: 1 },
    { metric: 'RSS before the burst', unit: 'MB', samples: s.rssBefore, budget: '—' },
    { metric: 'RSS after the burst', unit: 'MB', samples: s.rssAfter, budget: '< 150 MB' },
    { metric: `keys arriving in one chunk: "KK" / "jjjK" in one write → kill confirm on screen`, unit: 'ms', samples: s.chunk.ms, budget: '< 100 ms', digits: 1 },
    { metric: `keys arriving in one chunk, same, during a ${BURST_RATE} msg/s burst`, unit: 'ms', samples: s.chunkBurst.ms, budget: '< 100 ms', digits: 1 },
    { metric: 'keys arriving in one chunk: confirm never shown (1 s wait), idle + burst', unit: `of ${s.chunk.tries + s.chunkBurst.tries}`, samples: [s.chunk.never + s.chunkBurst.never], budget: '0', digits: 0 },
    { metric: 'gate engine: evaluateAll, 1,000 gates', unit: 'ms', samples: s.evalMs, budget: '< 5 ms', digits: 3 },
  ];
  if (s.peerCpu.length) {
    const pairs = (a: number[], b: number[]) => a.slice(0, b.length).map((x, i) => x / b[i]!);
    rows.push(
      { metric: `RSS at the end of the steady polling window`, unit: 'MB', samples: s.steadyRss, budget: '≤ 100 MB' },
      { metric: `of it the console's own memory (RssAnon; the rest is mostly the node binary's shared pages)`, unit: 'MB', samples: s.steadyAnon, budget: '—' },
      { metric: `peer: bare Ink app, ${GATES}-row grid redrawn each second (bench/peers/ink-grid.mjs), CPU in the same window`, unit: '% of a core', samples: s.peerCpu, budget: '—' },
      { metric: `peer: bare Ink app, RSS at the end of that window`, unit: 'MB', samples: s.peerRss, budget: '—' },
      { metric: `peer: bare Ink app, of it its own memory (RssAnon)`, unit: 'MB', samples: s.peerAnon, budget: '—' },
      { metric: `ratio: console / bare Ink app, steady CPU (session pairs)`, unit: 'x', samples: pairs(s.steadyCpu, s.peerCpu), budget: '≤ 0.33x', digits: 2 },
    );
  }
  const header = [
    `<!-- warroom bench ${new Date().toISOString()} · ${p.quick ? 'quick' : 'full'}${p.notifySinks ? ' · --notify-sinks (3 sinks, 1 hanging, status every 1 s)' : ''} · node ${process.version} · ${cpus().length}× ${cpus()[0]?.model ?? '?'} · load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} · command: node dist/bench/run.js${argv.length ? ` ${argv.join(' ')}` : ''} -->`,
  ];
  // The check-vs-peer table (needs prometheus and python3); not in --quick, whose CI time is bounded.
  const check = p.quick || p.keysOnly || p.sessions === 0 ? [] : await checkSection(argv, p, 3, [10, 200, 1000]);
  const lines = [...header, ...tableLines(rows), ...errors.map((e) => `<!-- error: ${e.split('\n')[0]} -->`), ...check, ''];
  process.stdout.write(lines.join('\n'));
  // An A/B run with notification sinks must not overwrite the reference tables.
  if (!p.notifySinks) await writeFile(p.quick ? RESULTS_QUICK : RESULTS, lines.join('\n'));
  return 0;
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    },
  );
}
