/**
 * `--record FILE`: every input the console saw, as JSON lines `{t, kind, data}`; the first
 * line holds the configuration (secrets redacted) so `replay` needs nothing else.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Config } from '../config/types.js';
import { makeRedactor, redactDeep, type Redactor, type SecretSpec } from '../util/redactor.js';

export interface RecordLine {
  t: number;
  kind: 'config' | 'sample' | 'feed' | 'key' | 'action' | 'decision';
  data: unknown;
}

export class Recorder {
  private out: WriteStream;
  private readonly redactor: Redactor;
  constructor(file: string, secrets: SecretSpec | readonly string[]) {
    this.redactor = makeRedactor(Array.isArray(secrets) ? { secrets } : (secrets as SecretSpec));
    this.out = createWriteStream(file, { flags: 'a' });
    this.out.on('error', () => {}); // a full disk must not crash the console; the record is best-effort
  }
  write(t: number, kind: RecordLine['kind'], data: unknown): void {
    // Field by field before JSON: a secret holding a quote or backslash is escaped in JSON text.
    this.out.write(this.redactor(JSON.stringify(redactDeep({ t, kind, data }, this.redactor))) + '\n');
  }
  writeConfig(t: number, config: Config): void {
    const { secrets: _s, secretMasks: _m, shortSecretNames: _n, ...rest } = config;
    // Config values are masked where substituted, however short (a 3-character token in a header).
    const shown = redactDeep(rest, this.redactor.value);
    this.out.write(this.redactor(JSON.stringify({ t, kind: 'config', data: { ...shown, secrets: [] } })) + '\n');
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
