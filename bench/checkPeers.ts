/**
 * `warroom check --strict` against the peer a user would write by hand (bench/peers/check_gates.py:
 * stdlib Python, one instant query per gate in turn), both against one real Prometheus scraping
 * `warroom sim`, at 10, 200 and 1,000 gates with distinct queries. Runs alternate (warroom, peer,
 * then peer, warroom in the next round) so the machine's drift hits both; the ratio is the median
 * of the per-round ratios. Both are spawned through bench/peers/measure.py (kernel rusage).
 */
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, startPrometheus } from './prometheus.js';
import { median } from './stats.js';

const run = promisify(execFile);

export interface CheckBin {
  label: string;
  /** A launcher (bin/warroom.js of some build). */
  path: string;
}

export interface CheckPlan {
  root: string;
  sizes: number[];
  rounds: number;
  bins: CheckBin[];
  /** The node binary that runs warroom (default: this one). */
  node?: string;
}

interface Measure {
  wallMs: number;
  cpuMs: number;
  maxRssMb: number;
  code: number;
  stderr: string;
}

export interface PeerGate {
  id: string;
  query: string;
  go: string;
  warn?: string;
}

/** N gates, every query distinct (as in real configs), over the simulator's metrics. */
export function peerGates(n: number): PeerGate[] {
  const out: PeerGate[] = [];
  for (let i = 0; i < n; i++) {
    const w = 10 + Math.floor(i / 5);
    const t = [
      { query: `max_over_time(policy_entropy{policy="live"}[${w}s])`, go: '>= 0' },
      { query: `avg_over_time(q_value_spread[${w}s])`, go: '<= 100' },
      { query: `sum(rate(http_requests_total{status="500"}[${w}s]))`, go: '<= 1000' },
      { query: `histogram_quantile(0.99, sum(rate(request_latency_seconds_bucket[${w}s])) by (le))`, go: '<= 2.5', warn: '<= 10' },
      { query: `max_over_time(sim_page_alerts_firing[${w}s])`, go: '== 0' },
    ][i % 5]!;
    out.push({ id: `g${i}`, ...t });
  }
  return out;
}

export function warroomCheckYaml(gates: PeerGate[], promUrl: string, auditDir: string): string {
  const lines = ['version: 1', 'deployment: { name: bench-check, environment: bench }', 'sources:', `  prom: { type: prometheus, url: ${JSON.stringify(promUrl)}, timeout: 20s }`, 'gates:'];
  for (const g of gates) {
    lines.push(`  - { id: ${g.id}, source: prom, query: '${g.query}', go: "${g.go}"${g.warn ? `, warn: "${g.warn}"` : ''} }`);
  }
  lines.push(`audit: { dir: ${JSON.stringify(auditDir)} }`, '');
  return lines.join('\n');
}

async function measure(root: string, argv: string[]): Promise<Measure> {
  const { stdout } = await run('python3', [join(root, 'bench', 'peers', 'measure.py'), ...argv], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as Measure;
}

async function startSim(node: string, bin: string): Promise<{ hostPort: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const child = spawn(node, [bin, 'sim', '--port', String(port)], { stdio: 'ignore' });
  const hostPort = `127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://${hostPort}/metrics`, { signal: AbortSignal.timeout(500) })).ok) break;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    hostPort,
    stop: async () => {
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      await gone;
    },
  };
}

export interface CheckResult {
  lines: string[];
  errors: string[];
}

const GOALS: Record<number, string> = { 10: '≤ 1.5x', 200: '≤ 0.8x', 1000: '≤ 0.6x' };

export async function checkPeerRows(p: CheckPlan): Promise<CheckResult> {
  const node = p.node ?? process.execPath;
  const dir = await mkdtemp(join(tmpdir(), 'warroom-bench-check-'));
  const sim = await startSim(node, p.bins[0]!.path);
  const errors: string[] = [];
  const prom = await startPrometheus(sim.hostPort).catch(async (e: unknown) => {
    await sim.stop();
    throw e;
  });
  type Series = { wall: number[]; cpu: number[]; rss: number[]; stderr: number };
  const data = new Map<string, Series>();
  const series = (k: string) => data.get(k) ?? (data.set(k, { wall: [], cpu: [], rss: [], stderr: 0 }), data.get(k)!);
  try {
    // rate() over the shortest window needs two samples in it.
    await prom.waitFor('sum(rate(request_latency_seconds_bucket[10s])) > 0', 60_000);
    const files = new Map<number, { yaml: string; json: string }>();
    for (const n of p.sizes) {
      const gates = peerGates(n);
      const yaml = join(dir, `check-${n}.yaml`);
      const json = join(dir, `gates-${n}.json`);
      await writeFile(yaml, warroomCheckYaml(gates, prom.url, join(dir, 'audit')));
      await writeFile(json, JSON.stringify(gates));
      files.set(n, { yaml, json });
    }
    // Every round after the warm-up finds the caches warm (Node's and warroom's code caches, as
    // Python finds its .pyc, and the config's parse kept); the first bin again without them is
    // what a fresh CI machine's one run costs (less the caches' writes).
    const first = p.bins[0]!;
    const contenders = [
      ...p.bins.map((b) => ({ key: b.label, argv: (f: { yaml: string }) => [node, b.path, 'check', '--strict', '--config', f.yaml] })),
      { key: `${first.label}, no caches`, argv: (f: { yaml: string }) => ['env', 'NODE_DISABLE_COMPILE_CACHE=1', node, first.path, 'check', '--strict', '--config', f.yaml] },
      { key: 'peer', argv: (f: { json: string }) => ['python3', join(p.root, 'bench', 'peers', 'check_gates.py'), '--prometheus', prom.url, '--gates', f.json] },
    ];
    for (let r = -1; r < p.rounds; r++) {
      process.stderr.write(`bench: check vs peer, round ${r + 2}/${p.rounds + 1}${r < 0 ? ' (warm-up)' : ''}…\n`);
      for (const n of p.sizes) {
        const order = r % 2 === 0 ? [...contenders].reverse() : contenders;
        for (const c of order) {
          const m = await measure(p.root, c.argv(files.get(n)!));
          if (r < 0) continue;
          const s = series(`${c.key}@${n}`);
          s.wall.push(m.wallMs);
          s.cpu.push(m.cpuMs);
          s.rss.push(m.maxRssMb);
          if (m.stderr.trim()) {
            s.stderr++;
            if (s.stderr === 1) errors.push(`${c.key} at ${n} gates wrote on stderr: ${m.stderr.trim().split('\n')[0]}`);
          }
          if (m.code !== 0) errors.push(`${c.key} at ${n} gates exited ${m.code}`);
        }
      }
    }
  } finally {
    await prom.stop();
    await sim.stop();
    await rm(dir, { recursive: true, force: true });
  }
  return { lines: tableOf(p, data), errors };
}

function tableOf(p: CheckPlan, data: Map<string, { wall: number[]; cpu: number[]; rss: number[]; stderr: number }>): string[] {
  const f0 = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : 'n/a');
  const pairRatio = (a: number[], b: number[]) => median(a.map((x, i) => x / b[i]!));
  const out = [
    '| `check --strict`, distinct Prometheus queries | checker | wall ms (min–max) | CPU ms | peak RSS MB | stderr runs | ratio to peer (wall, median of rounds) | goal |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const n of p.sizes) {
    const peer = data.get(`peer@${n}`);
    for (const key of [...p.bins.map((b) => b.label), `${p.bins[0]!.label}, no caches`, 'peer']) {
      const s = data.get(`${key}@${n}`);
      if (!s || !peer) continue;
      const ratio = key === 'peer' ? '1' : `**${pairRatio(s.wall, peer.wall).toFixed(2)}x** (CPU ${pairRatio(s.cpu, peer.cpu).toFixed(2)}x)`;
      out.push(`| ${n} gates | ${key} | ${f0(median(s.wall))} (${f0(Math.min(...s.wall))}–${f0(Math.max(...s.wall))}) | ${f0(median(s.cpu))} | ${f0(median(s.rss))} | ${s.stderr} of ${s.wall.length} | ${ratio} | ${key === 'peer' || key.endsWith('no caches') ? '' : (GOALS[n] ?? '')} |`);
    }
  }
  return out;
}
