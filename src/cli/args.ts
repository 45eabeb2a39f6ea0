/** Command-line parsing: one table of commands and their flags (SPEC §1). */
import { parseArgs } from 'node:util';
import { CliError, EXIT } from './exit.js';

type Opt = { type: 'string' | 'boolean'; short?: string };
const CONSOLE_FLAGS: Record<string, Opt> = {
  config: { type: 'string' },
  actor: { type: 'string' },
  'read-only': { type: 'boolean' },
  record: { type: 'string' },
  'signing-key': { type: 'string' },
  'metrics-listen': { type: 'string' },
  ascii: { type: 'boolean' },
  'no-color': { type: 'boolean' },
};
const DISPLAY_FLAGS: Record<string, Opt> = { ascii: { type: 'boolean' }, 'no-color': { type: 'boolean' } };

export const COMMANDS: Record<string, { flags: Record<string, Opt>; positionals: number; optionalPositionals?: number; usage: string }> = {
  console: { flags: CONSOLE_FLAGS, positionals: 0, usage: 'warroom [--config FILE] [--actor NAME] [--read-only] [--signing-key FILE] [--record FILE] [--metrics-listen HOST:PORT] [--ascii] [--no-color]' },
  demo: {
    flags: { scenario: { type: 'string' }, speed: { type: 'string' }, 'read-only': { type: 'boolean' }, actor: { type: 'string' }, record: { type: 'string' }, 'metrics-listen': { type: 'string' }, ...DISPLAY_FLAGS },
    positionals: 0,
    usage: 'warroom demo  [--scenario NAME] [--speed N] [--read-only] [--actor NAME] [--metrics-listen HOST:PORT]',
  },
  check: {
    flags: {
      config: { type: 'string' }, strict: { type: 'boolean' }, output: { type: 'string' }, format: { type: 'string' },
      // SPEC §9.4: --watch and the flags only it takes.
      watch: { type: 'boolean' }, interval: { type: 'string' }, timeout: { type: 'string' }, 'fail-after': { type: 'string' }, notify: { type: 'boolean' },
      room: { type: 'boolean' }, dir: { type: 'string' },
    },
    positionals: 0,
    usage: 'warroom check [--config FILE] [--strict] [--room] [--dir DIR] [--output FILE] [--format text|json] [--watch [--interval D] [--timeout D] [--fail-after D] [--notify]]',
  },
  sim: { flags: { port: { type: 'string' }, scenario: { type: 'string' }, speed: { type: 'string' } }, positionals: 0, usage: 'warroom sim   [--port N] [--scenario NAME] [--speed N]' },
  validate: { flags: { config: { type: 'string' } }, positionals: 0, usage: 'warroom validate [--config FILE]' },
  audit: {
    flags: { dir: { type: 'string' }, config: { type: 'string' }, sig: { type: 'boolean' }, reason: { type: 'string' }, actor: { type: 'string' }, 'signing-key': { type: 'string' }, room: { type: 'boolean' } },
    positionals: 1,
    optionalPositionals: 1,
    usage: 'warroom audit verify [--dir DIR | --room --config FILE] | warroom audit message FILE:LINE [--dir DIR] [--sig] | warroom audit invalidate [FILE:]LINE --reason TEXT [--dir DIR] [--config FILE] [--actor NAME] [--signing-key FILE]',
  },
  replay: { flags: { speed: { type: 'string' }, ...DISPLAY_FLAGS }, positionals: 1, usage: 'warroom replay FILE [--speed N]' },
  report: {
    flags: { dir: { type: 'string' }, output: { type: 'string' }, format: { type: 'string' }, config: { type: 'string' }, notify: { type: 'boolean' }, actor: { type: 'string' }, room: { type: 'boolean' } },
    positionals: 0,
    usage: 'warroom report [--format md|html|json] [--dir DIR | --room --config FILE [--dir DIR]] [--output FILE] | warroom report --notify [--config FILE] [--dir DIR]',
  },
  announce: {
    flags: { config: { type: 'string' }, message: { type: 'string' }, actor: { type: 'string' } },
    positionals: 0,
    usage: 'warroom announce [--config FILE] [--message TEXT] [--actor NAME]',
  },
};

export function usage(): string {
  return [
    'warroom — a war-room console for production deployment windows',
    '',
    'Usage:',
    ...Object.values(COMMANDS).map((c) => '  ' + c.usage),
    '  warroom --help | --version',
    '',
    'Exit codes: check --strict 0 GO, 1 WARN, 2 NO-GO; check --watch the same once a verdict holds, 124 on timeout; 64 bad usage; 77 not permitted; 78 invalid configuration; 70 internal failure;',
    '  announce / report --notify: 0 delivered to every sink, 75 not (try again).',
    'Config: --config, else $WARROOM_CONFIG, else ./warroom.yaml.  Actor: --actor, else $WARROOM_ACTOR, else your user name.',
    'In the console press ? for every key.',
  ].join('\n');
}

export interface Parsed {
  command: string;
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export function parseCommandLine(argv: string[]): Parsed | { help: true } | { version: true } {
  if (argv.includes('--help') || argv.includes('-h') || argv[0] === 'help') return { help: true };
  if (argv[0] === '--version' || argv[0] === '-V' || argv[0] === 'version') return { version: true };
  const first = argv[0];
  const command = first && !first.startsWith('-') ? first : 'console';
  const rest = command === 'console' ? argv : argv.slice(1);
  const spec = COMMANDS[command];
  if (!spec) throw new CliError(`unknown command "${command}"\n\n${usage()}`, EXIT.USAGE);
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: spec.flags, allowPositionals: true, strict: true });
  } catch (err) {
    const msg = err instanceof Error ? err.message.replace(/\. To specify.*$/s, '') : String(err);
    throw new CliError(`${msg}\nusage: ${spec.usage}`, EXIT.USAGE);
  }
  const n = parsed.positionals.length;
  if (n < spec.positionals || n > spec.positionals + (spec.optionalPositionals ?? 0)) {
    throw new CliError(
      `${command} takes ${spec.positionals === 0 ? 'no arguments' : `${spec.positionals} argument`} (got ${parsed.positionals.length})\nusage: ${spec.usage}`,
      EXIT.USAGE,
    );
  }
  return { command, values: parsed.values as Parsed['values'], positionals: parsed.positionals };
}

/** A positive number flag such as --speed or --port. */
export function numberFlag(values: Parsed['values'], name: string, opts: { min: number; max: number; integer?: boolean }): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(n) || n < opts.min || n > opts.max || (opts.integer && !Number.isInteger(n))) {
    throw new CliError(`--${name} must be ${opts.integer ? 'an integer' : 'a number'} from ${opts.min} to ${opts.max} (got "${String(raw)}")`, EXIT.USAGE);
  }
  return n;
}
