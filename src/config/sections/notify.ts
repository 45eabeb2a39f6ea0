/** `notify:` (SPEC §9.4): each sink on its own, with its defaults. */
import { kindOf, notifySinkSchema } from '../schema.js';
import { S } from '../sources/types.js';
import type { NotifySinkConfig } from '../types.js';
import type { BuildContext } from './context.js';

export function buildNotify(ctx: BuildContext): NotifySinkConfig[] {
  const notify: NotifySinkConfig[] = [];
  const raw = ctx.section('notify');
  if (raw === undefined) return notify;
  if (!Array.isArray(raw)) {
    ctx.add(['notify'], `expected a list of sinks, got ${kindOf(raw)}`);
    return notify;
  }
  raw.forEach((rs: unknown, i: number) => {
    const n = ctx.parseAt(notifySinkSchema, rs, ['notify', i]);
    if (!n) return;
    if (n.every !== undefined && !n.on.includes('status') && !n.on.includes('all')) ctx.add(['notify', i, 'every'], 'every sends periodic status: add status (or all) to on');
    notify.push({
      type: n.type,
      index: i,
      url: n.type === 'pagerduty' ? (n.url ?? 'https://events.pagerduty.com').replace(/\/+$/, '') : n.url,
      headers: n.type === 'webhook' ? (n.headers ?? {}) : {},
      ...(n.type === 'pagerduty' ? { routingKey: n.routing_key } : {}),
      on: [...new Set(n.on)],
      ...(n.every !== undefined ? { every: n.every } : {}),
      throttle: n.throttle ?? 0,
      timeout: n.timeout ?? 5 * S,
      retries: n.retries ?? 3,
      queue: n.queue ?? 100,
    });
  });
  return notify;
}
