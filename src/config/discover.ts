/** Which config file to read: `--config`, else `$WARROOM_CONFIG`, else `./warroom.yaml`. */
import { resolve } from 'node:path';

export const DEFAULT_CONFIG_NAME = 'warroom.yaml';

/** Returns an absolute path; relative ones resolve against `cwd`. Existence is loadConfigFile's job. */
export function discoverConfig(opts: { flag?: string; env: Record<string, string | undefined>; cwd: string }): string {
  const flag = opts.flag?.trim();
  if (flag) return resolve(opts.cwd, flag);
  const fromEnv = opts.env.WARROOM_CONFIG?.trim();
  if (fromEnv) return resolve(opts.cwd, fromEnv);
  return resolve(opts.cwd, DEFAULT_CONFIG_NAME);
}
