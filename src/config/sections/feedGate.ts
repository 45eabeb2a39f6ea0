/** The built-in feed gate: page alerts announced on the first websocket feed block the release. */
import { isMapping } from '../problemText.js';
import { parseThreshold } from '../threshold.js';
import type { GateConfig, SourceConfig } from '../types.js';
import type { BuildContext } from './context.js';

export const BUILTIN_FEED_GATE = 'feed_page_alerts';

export function addFeedGate(ctx: BuildContext, sources: Record<string, SourceConfig>, gates: GateConfig[]): void {
  const firstWs = Object.values(sources).find((s) => s.type === 'websocket');
  if (!firstWs) return;
  const clash = gates.findIndex((g) => g.id === BUILTIN_FEED_GATE);
  if (clash >= 0 && Array.isArray(ctx.raw.gates)) {
    const idx = (ctx.raw.gates as unknown[]).findIndex((g) => isMapping(g) && g.id === BUILTIN_FEED_GATE);
    ctx.add(['gates', idx, 'id'], `"${BUILTIN_FEED_GATE}" is reserved for the built-in gate added when a websocket source is configured; choose another id`);
    return;
  }
  gates.push({
    id: BUILTIN_FEED_GATE,
    title: 'No firing page alerts on the feed',
    group: 'Alerting & Monitoring',
    severity: 'critical',
    source: firstWs.id,
    key: '@page_alerts',
    go: parseThreshold('== 0'),
    for: 0,
    staleAfter: firstWs.staleAfter,
    builtin: true,
  });
}
