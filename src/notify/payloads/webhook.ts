/** The generic webhook body, exactly SPEC §9.4's `warroom.event/v1`. Pure. */
import type { NotifySinkConfig } from '../../config/types.js';
import type { NotifyEvent } from '../events.js';
import type { NotifyRequest } from './request.js';

export const WEBHOOK_SCHEMA = 'warroom.event/v1';

export function webhookBody(e: NotifyEvent) {
  return {
    schema: WEBHOOK_SCHEMA,
    event: e.event,
    deployment: e.deployment,
    environment: e.environment,
    overall: e.overall,
    actor: e.actor,
    ts: new Date(e.ts).toISOString(),
    gates: e.gates,
    // The headline and its explanation travel in detail, so a receiver can show what Slack shows.
    detail: { summary: e.title, lines: e.lines, severity: e.severity, ...e.detail },
  };
}

export function webhookRequest(e: NotifyEvent, sink: Pick<NotifySinkConfig, 'url' | 'headers'>): NotifyRequest {
  return { url: sink.url, body: webhookBody(e), headers: { ...sink.headers } };
}
