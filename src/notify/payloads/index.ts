/** The request a sink sends for an event, or undefined when the sink has nothing to say about it. */
import type { NotifySinkConfig } from '../../config/types.js';
import type { NotifyEvent } from '../events.js';
import { pagerdutyRequest } from './pagerduty.js';
import type { NotifyRequest } from './request.js';
import { slackRequest } from './slack.js';
import { teamsRequest } from './teams.js';
import { webhookRequest } from './webhook.js';

export type { NotifyRequest } from './request.js';

export function requestFor(sink: NotifySinkConfig, e: NotifyEvent): NotifyRequest | undefined {
  switch (sink.type) {
    case 'slack':
      return slackRequest(e, sink);
    case 'teams':
      return teamsRequest(e, sink);
    case 'webhook':
      return webhookRequest(e, sink);
    case 'pagerduty':
      return pagerdutyRequest(e, sink);
  }
}
