/**
 * Slack incoming webhook: Block Kit `header` / `section` / `context` blocks and the top-level
 * `text` that notifications and old clients show instead. Pure.
 */
import type { NotifyEvent } from '../events.js';
import { explainCriterion } from '../events.js';
import { cut, type NotifyRequest } from './request.js';

/** Slack's limits: header text 150, section text 3000, context elements 10. */
const HEADER_MAX = 150;
const SECTION_MAX = 3000;

/** mrkdwn treats & < > as control characters: escaped, remote text cannot forge a link or mention. */
export function mrkdwnEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const MARK: Record<string, string> = { 'NO-GO': ':red_circle:', WARN: ':large_yellow_circle:', GO: ':large_green_circle:' };

export function slackBody(e: NotifyEvent) {
  const gateLines = e.gates.slice(0, 12).map((c) => `• ${c.status} ${explainCriterion(c)}`);
  if (e.gates.length > 12) gateLines.push(`• +${e.gates.length - 12} more`);
  const section = [...e.lines, ...(gateLines.length ? ['', '*Gates*', ...gateLines] : [])].map(mrkdwnEscape).join('\n');
  const context = [
    `${MARK[e.overall] ?? ':white_circle:'} overall *${mrkdwnEscape(e.overall)}*`,
    `${mrkdwnEscape(e.deployment)} → ${mrkdwnEscape(e.environment)}`,
    `actor ${mrkdwnEscape(e.actor)}`,
    `${new Date(e.ts).toISOString()} · warroom ${e.event}`,
  ];
  return {
    // The top-level text is mrkdwn too (notifications show it): escaped like the blocks.
    text: mrkdwnEscape(cut(`[${e.deployment}/${e.environment}] ${e.title}`, 3000)),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: cut(e.title, HEADER_MAX), emoji: false } },
      ...(section ? [{ type: 'section', text: { type: 'mrkdwn', text: cut(section, SECTION_MAX) } }] : []),
      { type: 'context', elements: context.map((t) => ({ type: 'mrkdwn', text: t })) },
    ],
  };
}

export function slackRequest(e: NotifyEvent, sink: { url: string }): NotifyRequest {
  return { url: sink.url, body: slackBody(e), headers: {} };
}
