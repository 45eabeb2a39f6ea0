import type { Parsed } from '../cli/args.js';
import { loadConfigOrFail, warnShortSecrets, type CliIo } from '../cli/io.js';

/** `warroom validate`: every config problem with its line (exit 78), or a one-line summary. */
export async function validateCommand(p: Parsed, io: CliIo): Promise<number> {
  const config = await loadConfigOrFail(p.values.config as string | undefined, io);
  warnShortSecrets(config, io);
  io.stdout.write(
    `${config.file}: valid — ${config.gates.length} gates, ${Object.keys(config.sources).length} sources, deployment ${config.deployment.name} (${config.deployment.environment})\n`,
  );
  return 0;
}
