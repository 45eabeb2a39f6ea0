/** What a command needs from the process, injectable for tests. */
import { userInfo } from 'node:os';
import type { Config } from '../config/types.js';
import { discoverConfig } from '../config/discover.js';
import { formatProblems, loadConfigFile } from '../config/load.js';
import { configTrees } from './configTrees.js';
import { CliError, EXIT } from './exit.js';
import { shortSecretWarning } from '../util/redactor.js';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
  cwd: string;
}

/** After a console's first frames (startup is ~250–350 ms): then the sealing competes with nothing. */
const KEEP_LATER_MS = 2000;

export const processIo = (): CliIo => ({ stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });

/** `keepLater`: a long run (the console) keeps the parsed config after its first frames, not before. */
export async function loadConfigOrFail(flag: string | undefined, io: CliIo, keepLater = false): Promise<Config> {
  const opts: Parameters<typeof discoverConfig>[0] = { env: io.env, cwd: io.cwd };
  if (flag !== undefined) opts.flag = flag;
  const file = discoverConfig(opts);
  const res = await loadConfigFile(file, io.env, configTrees(io.env, keepLater ? KEEP_LATER_MS : undefined));
  if (!res.ok) throw new CliError(`invalid configuration (${res.problems.length} problem${res.problems.length === 1 ? '' : 's'}):\n${formatProblems(res.problems, file)}`, EXIT.CONFIG);
  return res.config;
}

export function resolveActor(flag: string | undefined, env: CliIo['env']): string {
  const raw = flag ?? env.WARROOM_ACTOR ?? safeUser();
  const actor = raw.trim();
  if (!/^[\w.@+-]{1,64}$/.test(actor)) throw new CliError(`actor "${actor}" must be 1-64 letters, digits or . _ @ + -`, EXIT.USAGE);
  return actor;
}

function safeUser(): string {
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The config's secrets too short to redact safely, said once on stderr. */
export function warnShortSecrets(config: { shortSecretNames?: string[] }, io: CliIo): void {
  const w = shortSecretWarning(config.shortSecretNames ?? []);
  if (w) io.stderr.write(`warning: ${w}\n`);
}
