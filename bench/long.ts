/**
 * `node dist/bench/run.js --long MIN` (issue 23): is the console flat over a deployment window?
 * Two sessions of MIN minutes (default 10) each, under a pty, with `--metrics-listen`:
 *  - the bench console (60 scrape gates at 1 s, a feed, an HTTP kill-switch) on wall time;
 *  - `warroom demo --speed 12`: the demo's whole ramp (checkpoints at T+30, T+60, T+120) compressed,
 *    MIN minutes of wall time being 12 × MIN minutes of the window (2 hours at the default).
 * Each is sampled one minute in and at the end: RSS (`/proc/<pid>/status`) and the V8 heap used (the
 * console's own `nodejs_heap_size_used_bytes`); the rows are the two samples and the growth between.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchConfigYaml } from './config.js';
import { freePort } from './prometheus.js';
import { rssMb, spawnConsole } from './pty.js';
import { startControl, startExporter, startFeed } from './servers.js';
import type { Row } from './stats.js';

const FOOTER = 'K kill';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function heapMb(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
  const m = /^nodejs_heap_size_used_bytes (\S+)$/m.exec(text);
  return m ? Number(m[1]) / 1e6 : NaN;
}

interface Samples {
  rss: [number, number];
  heap: [number, number];
}

async function session(bin: string, args: string[], cwd: string, minutes: number, label: string): Promise<Samples> {
  const port = await freePort();
  const pty = spawnConsole({ cwd, bin, args: [...args, '--metrics-listen', `127.0.0.1:${port}`] });
  try {
    await pty.waitFor(FOOTER, 0, 30_000);
    const pid = await pty.nodePid();
    process.stderr.write(`bench: long, ${label}: first sample in 1 min, last at ${minutes} min…\n`);
    await sleep(60_000);
    const first: [number, number] = [rssMb(pid), await heapMb(port)];
    await sleep(Math.max(0, minutes - 1) * 60_000);
    const last: [number, number] = [rssMb(pid), await heapMb(port)];
    return { rss: [first[0], last[0]], heap: [first[1], last[1]] };
  } finally {
    await pty.stop();
  }
}

export async function longRows(bin: string, gates: number, minutes: number): Promise<Row[]> {
  const dir = await mkdtemp(join(tmpdir(), 'warroom-bench-long-'));
  const exporter = await startExporter(gates);
  const feed = await startFeed();
  const control = await startControl();
  try {
    const cfgFile = join(dir, 'warroom.yaml');
    await writeFile(cfgFile, benchConfigYaml(gates, { exporterUrl: exporter.url, feedUrl: feed.url, controlUrl: control.url, auditDir: join(dir, 'audit') }));
    const wall = await session(bin, ['--config', cfgFile, '--actor', 'bench'], dir, minutes, `${gates} gates at 1 s`);
    const demo = await session(bin, ['demo', '--speed', '12', '--actor', 'bench'], dir, minutes, 'demo --speed 12');
    const rows = (s: Samples, what: string): Row[] => [
      { metric: `${what}: RSS after 1 min`, unit: 'MB', samples: [s.rss[0]], budget: '≤ 100 MB' },
      { metric: `${what}: RSS after ${minutes} min`, unit: 'MB', samples: [s.rss[1]], budget: '≤ 100 MB, flat' },
      { metric: `${what}: V8 heap used after 1 min`, unit: 'MB', samples: [s.heap[0]], budget: '—' },
      { metric: `${what}: V8 heap used after ${minutes} min`, unit: 'MB', samples: [s.heap[1]], budget: 'flat' },
    ];
    return [...rows(wall, `console, ${gates} gates at 1 s, ${minutes} min`), ...rows(demo, `demo --speed 12, ${minutes} min = ${minutes * 12} min of the window`)];
  } finally {
    await Promise.allSettled([exporter.stop(), feed.stop(), control.stop()]);
    await rm(dir, { recursive: true, force: true });
  }
}
