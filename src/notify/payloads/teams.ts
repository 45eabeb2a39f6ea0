/**
 * Microsoft Teams through a Power Automate Workflows webhook: a `message` whose one
 * attachment is an Adaptive Card (the old Office 365 connector MessageCard is retired). Pure.
 */
import type { NotifyEvent } from '../events.js';
import { explainCriterion } from '../events.js';
import { markdownEscape as md } from './markdown.js';
import { cut, type NotifyRequest } from './request.js';

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

export function teamsBody(e: NotifyEvent) {
  const color = e.overall === 'NO-GO' ? 'Attention' : e.overall === 'WARN' ? 'Warning' : e.overall === 'GO' ? 'Good' : 'Default';
  const body: unknown[] = [
    { type: 'TextBlock', text: md(cut(e.title, 500)), weight: 'Bolder', size: 'Medium', wrap: true, color: e.severity === 'info' ? 'Default' : 'Attention' },
    ...e.lines.slice(0, 20).map((l) => ({ type: 'TextBlock', text: md(cut(l, 1000)), wrap: true, spacing: 'Small' })),
    {
      type: 'FactSet',
      facts: [
        { title: 'Overall', value: md(e.overall) },
        { title: 'Deployment', value: md(`${e.deployment} → ${e.environment}`) },
        { title: 'Actor', value: md(e.actor) },
        { title: 'Time', value: new Date(e.ts).toISOString() },
        { title: 'Event', value: e.event },
      ],
    },
  ];
  if (e.gates.length) {
    body.push({ type: 'TextBlock', text: 'Gates', weight: 'Bolder', wrap: true, color });
    body.push({ type: 'FactSet', facts: e.gates.slice(0, 15).map((c) => ({ title: md(`${c.status} ${c.id}`), value: md(cut(explainCriterion(c), 300)) })) });
  }
  return {
    type: 'message',
    attachments: [
      {
        contentType: ADAPTIVE_CARD,
        contentUrl: null,
        content: { $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.4', body },
      },
    ],
  };
}

export function teamsRequest(e: NotifyEvent, sink: { url: string }): NotifyRequest {
  return { url: sink.url, body: teamsBody(e), headers: {} };
}
