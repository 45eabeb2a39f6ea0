/** `warroom sim`: the simulator alone, so a pair can point two consoles at it. Runs until SIGINT/SIGTERM. */
import { scaledClock, systemClock } from '../core/clock.js';
import { numberFlag, type Parsed } from '../cli/args.js';
import { CliError, EXIT } from '../cli/exit.js';
import type { CliIo } from '../cli/io.js';
import { DEMO_PORT } from './console.js';

export async function simCommand(p: Parsed, io: CliIo): Promise<number> {
  const { startSimulator, SCENARIOS } = await import('../sim/index.js');
  const port = numberFlag(p.values, 'port', { min: 0, max: 65535, integer: true }) ?? DEMO_PORT;
  const speed = numberFlag(p.values, 'speed', { min: 0.1, max: 10_000 }) ?? 1;
  const scenario = (p.values.scenario as string | undefined) ?? 'healthy';
  if (!SCENARIOS.includes(scenario)) throw new CliError(`unknown scenario "${scenario}"; one of: ${SCENARIOS.join(', ')}`, EXIT.USAGE);
  let sim;
  try {
    sim = await startSimulator({ port, scenario, speed, clock: speed === 1 ? systemClock : scaledClock(speed) });
  } catch (err) {
    throw new CliError((err as Error).message, EXIT.USAGE);
  }
  io.stdout.write(
    [
      `warroom sim: scenario ${scenario}, speed ${speed}x`,
      `  metrics  ${sim.url}/metrics`,
      `  feed     ${sim.url.replace('http:', 'ws:')}/status`,
      `  control  POST ${sim.url}/admin/kill-switch · POST ${sim.url}/admin/influence {"pct":N}`,
      `  scenario POST ${sim.url}/admin/scenario {"name":"entropy-collapse"} · state GET ${sim.url}/admin/state`,
      'Ctrl+C stops.',
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await sim.stop();
  return 0;
}
