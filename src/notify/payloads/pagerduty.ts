/**
 * PagerDuty Events API v2: an alert per episode (`trigger`, later `resolve` with the same
 * `dedup_key`) on /v2/enqueue, and change events (ramp stages, decisions, announce, report)
 * on /v2/change/enqueue. Events with no PagerDuty meaning give no request. Pure.
 */
import type { NotifySinkConfig } from '../../config/types.js';
import type { NotifyEvent } from '../events.js';
import { cut, type NotifyRequest } from './request.js';

/** dedup_key and summary limits of the Events API. */
const KEY_MAX = 255;
const SUMMARY_MAX = 1024;

export function pagerdutyRequest(e: NotifyEvent, sink: Pick<NotifySinkConfig, 'url' | 'routingKey'>): NotifyRequest | undefined {
  const p = e.pager;
  if (!p) return undefined;
  const routing_key = sink.routingKey ?? '';
  const custom_details = { overall: e.overall, actor: e.actor, lines: e.lines, gates: e.gates, ...e.detail };
  const summary = cut(`[${e.deployment}/${e.environment}] ${e.title}`, SUMMARY_MAX);
  const timestamp = new Date(e.ts).toISOString();
  if (p.kind === 'change') {
    return { url: `${sink.url}/v2/change/enqueue`, headers: {}, body: { routing_key, payload: { summary, timestamp, source: `warroom/${e.deployment}`, custom_details } } };
  }
  const dedup_key = cut(p.key, KEY_MAX);
  if (p.action === 'resolve') return { url: `${sink.url}/v2/enqueue`, headers: {}, body: { routing_key, event_action: 'resolve', dedup_key } };
  return {
    url: `${sink.url}/v2/enqueue`,
    headers: {},
    body: {
      routing_key,
      event_action: 'trigger',
      dedup_key,
      payload: {
        summary,
        source: `warroom/${e.deployment}`,
        severity: e.severity,
        timestamp,
        component: e.deployment,
        group: e.environment,
        class: e.event,
        custom_details,
      },
      client: 'warroom',
    },
  };
}
