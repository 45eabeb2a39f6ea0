/**
 * Decision records not yet on disk (SPEC §9.1: pending audit writes are rescued on exit, never
 * lost). recordDecision retries a failed write with backoff; quitting must not abandon that
 * retry, so every record in flight is tracked here and `settlePendingRecords` (the exit path)
 * stops each retry loop, tries once more, and otherwise writes the record to a rescue file
 * beside it (or under $XDG_STATE_HOME/warroom), as the ledger rescues its pending lines.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface PendingRecord {
  dir: string;
  /** The file name the ledger's decision line announced. */
  name: string;
  /** The exact text of the record file. */
  text: string;
  /** Stops the retry loop; resolves once an attempt in flight has settled. */
  stop(): Promise<void>;
  /** The path once written (by the loop or by writeNow). */
  writtenPath(): string | undefined;
  /** One more attempt at the announced name. */
  writeNow(): Promise<string>;
  lastError(): string | undefined;
}

export interface SettledRecords {
  saved: string[];
  rescued: { name: string; dir: string; path: string; error: string }[];
  lost: { name: string; dir: string; error: string }[];
}

const pending = new Set<PendingRecord>();

export function trackPending(p: PendingRecord): () => void {
  pending.add(p);
  return () => void pending.delete(p);
}

export function pendingRecordCount(): number {
  return pending.size;
}

/** The exit path: every pending record written, rescued, or reported lost. */
export async function settlePendingRecords(env: NodeJS.ProcessEnv = process.env, now: number = Date.now()): Promise<SettledRecords> {
  const out: SettledRecords = { saved: [], rescued: [], lost: [] };
  for (const p of [...pending]) {
    await p.stop();
    let path = p.writtenPath();
    let error = p.lastError() ?? 'not written yet';
    if (!path) {
      try {
        path = await p.writeNow();
      } catch (e) {
        error = `cannot write ${join(p.dir, p.name)}: ${(e as Error).message}`;
      }
    }
    pending.delete(p);
    if (path) {
      out.saved.push(path);
      continue;
    }
    const rescue = await rescueRecord(p, env, now);
    if ('path' in rescue) out.rescued.push({ name: p.name, dir: p.dir, path: rescue.path, error });
    else out.lost.push({ name: p.name, dir: p.dir, error: `${error}; ${rescue.error}` });
  }
  return out;
}

async function rescueRecord(p: PendingRecord, env: NodeJS.ProcessEnv, now: number): Promise<{ path: string } | { error: string }> {
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '');
  // Not named *_go_nogo.json: a rescue file is never mistaken for the record itself.
  const name = `${p.name.replace(/\.json$/, '')}.rescue-${stamp}-${process.pid}.json`;
  const state = env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith('/') ? env.XDG_STATE_HOME : join(homedir(), '.local', 'state');
  const errors: string[] = [];
  for (const dir of [p.dir, join(state, 'warroom')]) {
    try {
      await mkdir(dir, { recursive: true });
      const path = join(dir, name);
      await writeFile(path, p.text, { flag: 'wx' });
      return { path };
    } catch (e) {
      errors.push(`${dir}: ${(e as Error).message}`);
    }
  }
  return { error: `no rescue file could be written (${errors.join('; ')})` };
}
