/**
 * History in a real Prometheus without waiting: OpenMetrics text written here, turned into TSDB blocks by
 * `promtool tsdb create-blocks-from openmetrics`, then served by a Prometheus started on that directory
 * (STACK-NOTES, third round). A 30-minute or 2-hour range query answers at once.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startPrometheus, type TestPrometheus } from './prometheus.js';

export const PROMTOOL_BIN = process.env.PROMTOOL_BIN ?? '/usr/bin/promtool';

export interface BackfillSeries {
  /** `name{label="v"}` as written in the exposition. */
  series: string;
  /** Samples: unix ms and value (NaN allowed). */
  points: { t: number; v: number }[];
}

/** OpenMetrics text: each family's series together, each series in time order, `# EOF` last. */
export function openMetrics(families: Record<string, BackfillSeries[]>): string {
  const lines: string[] = [];
  for (const [name, series] of Object.entries(families)) {
    lines.push(`# TYPE ${name} gauge`);
    for (const s of series) for (const p of s.points) lines.push(`${s.series} ${Number.isNaN(p.v) ? 'NaN' : p.v} ${(p.t / 1000).toFixed(3)}`);
  }
  lines.push('# EOF');
  return lines.join('\n') + '\n';
}

export async function startBackfilledPrometheus(families: Record<string, BackfillSeries[]>): Promise<TestPrometheus> {
  const dir = await mkdtemp(join(tmpdir(), 'warroom-backfill-'));
  const file = join(dir, 'history.om');
  await writeFile(file, openMetrics(families));
  const data = join(dir, 'data');
  await promisify(execFile)(PROMTOOL_BIN, ['tsdb', 'create-blocks-from', 'openmetrics', file, data], { timeout: 60_000 });
  // Nothing to scrape: the history is all there is (a closed port keeps the scrape loop harmless).
  return startPrometheus({ targets: ['127.0.0.1:9'], scrapeInterval: '1m', dataDir: data });
}
