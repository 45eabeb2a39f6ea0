/** How `check --watch` prints: one block (text) or one JSON line (NDJSON) per change, then the end. */
import { formatDuration } from '../config/duration.js';
import { formatValue } from '../engine/gate.js';
import { oneLine } from '../util/sanitize.js';
import { formatText } from './checkFormat.js';
import type { CheckReport } from './checkFormat.js';
import type { WatchChange, WatchEnd, WatchOptions } from './checkWatchLoop.js';

const iso = (ms: number) => new Date(ms).toISOString();
/** Sub-second durations as given (`--fail-after 600ms` must not read as 1s). */
const dur = (ms: number) => (ms < 10_000 && ms % 1000 !== 0 ? `${(ms / 1000).toFixed(1).replace(/\.0$/, '')}s` : formatDuration(ms));

export function changeText(c: WatchChange): string {
  const was = c.previous && c.previous !== c.overall ? ` (was ${c.previous})` : '';
  const why = c.report.reasons.length ? `  ${oneLine(c.report.reasons.join('; '), 200)}` : '';
  // The reasons already carry the score when one is configured.
  const lines = [`${iso(c.at)}  ${c.overall}${was}${why}`];
  for (const g of c.gates) {
    const value = g.value_text ?? formatValue(g.value);
    lines.push(`  ${g.id}: ${g.from ? `${g.from} → ` : ''}${g.to}  ${oneLine(value, 40)} vs ${g.threshold || '(no threshold)'}  ${oneLine(g.reason, 160)}`);
  }
  return lines.join('\n') + '\n';
}

export function changeJson(c: WatchChange): string {
  return (
    JSON.stringify({
      event: 'change',
      at: iso(c.at),
      overall: c.overall,
      previous: c.previous,
      ...(c.report.score ? { score: c.report.score } : {}),
      reasons: c.report.reasons,
      gates: c.gates,
    }) + '\n'
  );
}

export function endSentence(end: WatchEnd, exitCode: number, heldMs: number, overall: string | undefined, opts: WatchOptions): string {
  switch (end) {
    case 'go':
      return `watch ended: GO (exit 0)`;
    case 'held':
      return `watch ended: ${overall} held for ${dur(heldMs)} (--fail-after ${dur(opts.failAfterMs ?? 0)}) (exit ${exitCode})`;
    case 'timeout':
      return `watch timed out after ${dur(opts.timeoutMs)}: ${overall ?? 'no verdict'}${overall ? ` held for ${dur(heldMs)}` : ''} (exit ${exitCode})`;
    case 'signal':
      return `watch cancelled (${exitCode === 143 ? 'SIGTERM' : 'SIGINT'}): last verdict ${overall ?? 'none'} (exit ${exitCode})`;
  }
}

export function finalText(report: CheckReport | undefined, sentence: string): string {
  return `${report ? `\n${formatText(report)}` : ''}${sentence}\n`;
}

export function finalJson(report: CheckReport | undefined, end: WatchEnd, exitCode: number, heldMs: number): string {
  return JSON.stringify({ event: 'final', end, exit_code: exitCode, held_ms: heldMs, ...(report ?? {}) }) + '\n';
}
