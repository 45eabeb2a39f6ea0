/**
 * A real nats-server (Debian 2.9 here, as CI installs it) for the room's tests: one node with
 * JetStream, or a node of a cluster; stop and start again on the same store dir and port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './prometheus.js';

export interface NatsNode {
  port: number;
  url: string;
  dir: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops it and removes its store. */
  destroy(): Promise<void>;
}

async function listening(port: number, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const ok = await new Promise<boolean>((r) => {
      const s = connect(port, '127.0.0.1', () => (s.end(), r(true)));
      s.on('error', () => r(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nats-server on ${port} did not listen within ${ms} ms`);
}

/** `conf`: server config text (accounts, cluster) naming its store_dir under `dir`; `-js -a -p` are always given. */
export async function natsNode(opts: { conf?: (port: number, dir: string) => string; port?: number } = {}): Promise<NatsNode> {
  const port = opts.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'warroom-nats-'));
  let child: ChildProcess | undefined;
  let stderr = '';
  const onExit = () => child?.kill('SIGKILL');
  const node: NatsNode = {
    port,
    url: `nats://127.0.0.1:${port}`,
    dir,
    async start() {
      // A config file names its own store_dir (nats-server refuses both).
      const args = ['-js', '-a', '127.0.0.1', '-p', String(port), ...(opts.conf ? [] : ['-sd', join(dir, 'js')])];
      if (opts.conf) {
        writeFileSync(join(dir, 'server.conf'), opts.conf(port, dir));
        args.push('-c', join(dir, 'server.conf'));
      }
      child = spawn('nats-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
      child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
      process.on('exit', onExit);
      await listening(port, 10_000).catch((e: Error) => {
        throw new Error(`${e.message}\n${stderr}`);
      });
    },
    async stop() {
      const c = child;
      child = undefined;
      process.off('exit', onExit);
      if (!c || c.exitCode !== null) return;
      const gone = new Promise<void>((r) => c.once('exit', () => r()));
      c.kill('SIGTERM');
      const t = setTimeout(() => c.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(t);
    },
    async destroy() {
      await node.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return node;
}

/** A cluster of `n` JetStream nodes on loopback; ready once every node listens (meta leader takes a moment more). */
export async function natsCluster(n: number): Promise<NatsNode[]> {
  const ports = await Promise.all(Array.from({ length: n }, () => freePort()));
  const routes = await Promise.all(Array.from({ length: n }, () => freePort()));
  const nodes = await Promise.all(
    ports.map((port, i) =>
      natsNode({
        port,
        conf: (_p, dir) => `server_name: n${i}\njetstream { store_dir: "${join(dir, 'js')}" }\ncluster {\n  name: warroom\n  listen: 127.0.0.1:${routes[i]}\n  routes: [${routes.map((r) => `nats-route://127.0.0.1:${r}`).join(', ')}]\n}\n`,
      }),
    ),
  );
  await Promise.all(nodes.map((x) => x.start()));
  return nodes;
}
