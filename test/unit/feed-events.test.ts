/** Feed messages → event-log lines: each carries its origin, and text is cut once. */
import { describe, expect, it } from 'vitest';
import { feedEventLine } from '../../src/session/feedEvents.js';
import type { FeedMessage } from '../../src/feed/protocol.js';
import { dropReasons, feedHealthText } from '../../views/feedHealth.js';

const line = (m: Record<string, unknown>) => feedEventLine({ seq: 1, ts: 't', ...m } as unknown as FeedMessage, new Map());

describe('feedEventLine origins', () => {
  it('server frames are `feed`; another console’s actions are `remote:ACTOR`', () => {
    expect(line({ type: 'status', key: 'k', value: true })).toMatchObject({ origin: 'feed', text: 'status k = true' });
    expect(line({ type: 'alert', id: 'a', severity: 'page', state: 'firing' })).toMatchObject({ origin: 'feed' });
    expect(line({ type: 'event', text: 'decision GO by alice' })).toMatchObject({ origin: 'feed', text: 'decision GO by alice' });
    expect(line({ type: 'event', text: 'hi', actor: 'bob' })).toMatchObject({ origin: 'remote:bob', text: 'bob: hi' });
    expect(line({ type: 'decision', decision: 'GO', actor: 'alice', id: 'x' })).toMatchObject({ kind: 'decision', origin: 'remote:alice', text: 'decision GO by alice' });
    expect(line({ type: 'ack', role: 'on_call', actor: 'bob' })).toMatchObject({ origin: 'remote:bob' });
    expect(line({ type: 'influence', pct: 10 })).toMatchObject({ origin: 'feed' });
    expect(line({ type: 'influence', pct: 10, actor: 'carol x' })).toMatchObject({ origin: 'remote:carol_x' });
  });

  it('cuts long text to one line once', () => {
    const l = line({ type: 'event', text: 'x'.repeat(60_000) + '\nnext' });
    expect(l!.text.length).toBeLessThanOrEqual(400);
    expect(l!.text).not.toContain('\n');
  });
});

describe('feedHealthText', () => {
  const base = { sourceId: 'feed', state: 'open' as const, dropped: 0, droppedByReason: {}, missed: 0, reconnects: 0, restarts: 0, firing: 0, firingPage: 0, firingMore: 0 };
  it('is empty when all is well', () => expect(feedHealthText(base)).toBe(''));
  it('names drops by reason, most first, and the firing alerts with +N more', () => {
    expect(dropReasons({ oversize: 1, not_json: 2, x: 0 })).toBe('2 not_json, 1 oversize');
    expect(feedHealthText({ ...base, dropped: 3, droppedByReason: { oversize: 1, not_json: 2 }, firing: 10_000, firingPage: 9_999, firingMore: 9_000, missed: 4, restarts: 1 })).toBe(
      '10000 firing (9999 page, +9000 more) · dropped 3 (2 not_json, 1 oversize) · 4 missed · 1 restart',
    );
  });
});
