/** Processes by argv, read from /proc (Linux), to prove nothing a command started survives. */
import { readdirSync, readFileSync } from 'node:fs';

export function pidsWithArgv(argv: readonly string[]): number[] {
  const want = argv.join('\0');
  const out: number[] = [];
  for (const n of readdirSync('/proc')) {
    if (!/^\d+$/.test(n)) continue;
    try {
      const cmd = readFileSync(`/proc/${n}/cmdline`, 'utf8').replace(/\0$/, '');
      const stat = readFileSync(`/proc/${n}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      if (cmd === want && state !== 'Z') out.push(Number(n));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Test cleanup: whatever a failing run left behind must not outlive the test. */
export function killAll(pids: number[]): void {
  for (const p of pids) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

export async function settle(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}
