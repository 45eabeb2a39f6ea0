/** The embedded simulator (SPEC §7): `warroom sim` and the server behind `warroom demo`. */
import { scaledClock, systemClock, type Clock } from '../core/clock.js';
import { isScenario, SCENARIOS as SCENARIO_LIST, unknownScenario, type ScenarioName } from './scenarios.js';
import { SimServer, type SimState } from './server.js';

export const SCENARIOS: string[] = [...SCENARIO_LIST];
export type { ScenarioName, SimState };
export { isScenario };

export interface SimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: '127.0.0.1';
  scenario?: string;
  /** Sim time runs this many times faster than wall time (ignored when `clock` is given). */
  speed?: number;
  /** The shared clock (`demo` passes the console's scaled clock). */
  clock?: Clock;
  /** Noise seed (deterministic metrics). */
  seed?: number;
  /** Wall ms between feed-flap drops (default 8000). */
  flapMs?: number;
  /** Wall ms the feed waits for a client's resume before sending the snapshot (default 150). */
  resumeWaitMs?: number;
}

export interface Simulator {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  setScenario(name: string): void;
  state(): SimState;
  stop(): Promise<void>;
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const host = opts.host ?? '127.0.0.1';
  if (host !== '127.0.0.1') throw new Error('the simulator only listens on 127.0.0.1');
  const scenario = opts.scenario ?? 'healthy';
  if (!isScenario(scenario)) throw unknownScenario(scenario);
  const speed = opts.speed ?? 1;
  if (!(typeof speed === 'number' && Number.isFinite(speed) && speed > 0)) throw new Error(`speed must be a number > 0, got ${String(opts.speed)}`);
  const port = opts.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`port must be an integer 0..65535, got ${String(opts.port)}`);
  const clock = opts.clock ?? (speed === 1 ? systemClock : scaledClock(speed));

  const server = new SimServer({
    port,
    host,
    scenario,
    speed,
    clock,
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    ...(opts.flapMs !== undefined ? { flapMs: opts.flapMs } : {}),
    ...(opts.resumeWaitMs !== undefined ? { resumeWaitMs: opts.resumeWaitMs } : {}),
  });
  let bound: number;
  try {
    bound = await server.listen();
  } catch (err) {
    await server.stop();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new Error(`port ${port} on ${host} is already in use; pick another with --port`);
    throw err;
  }
  return {
    url: `http://${host}:${bound}`,
    port: bound,
    setScenario: (name) => void server.setScenario(name),
    state: () => server.state(),
    stop: () => server.stop(),
  };
}
