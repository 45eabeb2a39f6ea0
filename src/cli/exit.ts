/** Exit codes of the contract (SPEC §1); NOPERM (sysexits EX_NOPERM): an act the actor has no right to; TIMEOUT as timeout(1) and `check --watch`. */
export const EXIT = { GO: 0, WARN: 1, NOGO: 2, USAGE: 64, INTERNAL: 70, CONFIG: 78, NOPERM: 77, TIMEOUT: 124, SIGINT: 130, SIGTERM: 143 } as const;

/** A user mistake: printed as one clear message with its exit code, never a stack trace. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number) {
    super(message);
  }
}
