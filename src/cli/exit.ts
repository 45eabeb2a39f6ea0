/** Exit codes of the contract (SPEC §1). */
export const EXIT = { GO: 0, WARN: 1, NOGO: 2, USAGE: 64, INTERNAL: 70, CONFIG: 78 } as const;

/** A user mistake: printed as one clear message with its exit code, never a stack trace. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number) {
    super(message);
  }
}
