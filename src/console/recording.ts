/**
 * `--record FILE`: every input the console saw, as JSON lines `{t, kind, data}`; the first
 * line holds the configuration (secrets redacted) so `replay` needs nothing else.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Config } from '../config/types.js';
import { redact } from '../util/redact.js';

export interface RecordLine {
  t: number;
  kind: 'config' | 'sample' | 'feed' | 'key' | 'action' | 'decision';
  data: unknown;
}

export class Recorder {
  private out: WriteStream;
  constructor(file: string, private readonly secrets: readonly string[]) {
    this.out = createWriteStream(file, { flags: 'a' });
    this.out.on('error', () => {}); // a full disk must not crash the console; the record is best-effort
  }
  write(t: number, kind: RecordLine['kind'], data: unknown): void {
    this.out.write(redact(JSON.stringify({ t, kind, data }), this.secrets) + '\n');
  }
  writeConfig(t: number, config: Config): void {
    this.write(t, 'config', { ...config, secrets: [] });
  }
  close(): Promise<void> {
    return new Promise((resolve) => this.out.end(resolve));
  }
}

export async function readRecording(file: string): Promise<{ config: Config; lines: RecordLine[]; skipped: number }> {
  const text = await readFile(file, 'utf8');
  const lines: RecordLine[] = [];
  let skipped = 0;
  let config: Config | undefined;
  for (const raw of text.split('\n')) {
    if (!raw.trim()) continue;
    try {
      const l = JSON.parse(raw) as RecordLine;
      if (typeof l.t !== 'number' || typeof l.kind !== 'string') throw new Error('shape');
      if (l.kind === 'config') config ??= l.data as Config;
      else lines.push(l);
    } catch {
      skipped++;
    }
  }
  if (!config) throw new Error(`${file} has no config line: is it a warroom --record file?`);
  lines.sort((a, b) => a.t - b.t);
  return { config, lines, skipped };
}
