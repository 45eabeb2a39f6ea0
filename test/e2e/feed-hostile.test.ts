/**
 * Issue 11, the feed's part, proven on the real binary in tmux against a ws server this test
 * controls: a seq of 1e300 blinds nothing, a 10k-alert flood keeps the gate exact with
 * "+N more", a deeply nested value is dropped as too_deep and shown, and feed text carries
 * its origin mark with invisible marks stripped.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { lineWith, overall, startConsole, removeWhenQuiet } from '../helpers/e2e.js';
import { startFeedServer, type FeedServer } from '../helpers/feedServer.js';
import type { Tmux } from '../helpers/tmux.js';

const PAGE_GATE = 'No firing page alerts on the feed';
const KS_GATE = 'Kill-switch tested';

function gateLight(screen: string, title: string): string | undefined {
  return /● (GO|WARN|NO-GO|\?|WAIVED)\s/.exec(lineWith(screen, title))?.[1];
}

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

let seq = 0;
const ts = () => new Date().toISOString();
const status = (key: string, value: unknown) => ({ type: 'status', seq: ++seq, ts: ts(), key, value });

/** A console on a feed-only config (killswitch gate + the built-in page-alert gate), feed connected and GO. */
async function setup(opts: { record?: boolean } = {}): Promise<{ feed: FeedServer; t: Tmux; dir: string }> {
  seq = 0;
  const feed = await startFeedServer();
  cleanups.push(() => feed.stop());
  const dir = mkdtempSync(join(tmpdir(), 'warroom-e2e-feed-'));
  cleanups.push(() => removeWhenQuiet(dir));
  const config = {
    version: 1,
    deployment: { name: 'feed-hostile', environment: 'e2e' },
    sources: { feed: { type: 'websocket', url: feed.url } },
    gates: [{ id: 'killswitch_tested', title: KS_GATE, group: 'Readiness', source: 'feed', key: 'killswitch.tested', go: '== true' }],
    decision: { unknown: 'nogo' },
    audit: { dir: join(dir, 'audit') },
  };
  const configPath = join(dir, 'warroom.yaml');
  writeFileSync(configPath, stringify(config));
  const t = startConsole(configPath, { cols: 120, rows: 36, args: opts.record ? ['--record', join(dir, 'record.jsonl')] : [] });
  cleanups.push(() => t.stop());
  await feed.waitFor((m) => (m as { type?: string }).type === 'resume', 15_000);
  feed.send(status('killswitch.tested', true));
  await t.waitFor((s) => gateLight(s, KS_GATE) === 'GO' && gateLight(s, PAGE_GATE) === 'GO' && overall(s) === 'GO', 15_000, 'both gates GO');
  return { feed, t, dir };
}

describe('hostile feed through the real console (issue 11)', () => {
  it('a seq of 1e300 is a server restart with a warning; the page alert and killswitch=false after it still turn the gates NO-GO', async () => {
    const { feed, t } = await setup();
    feed.send({ type: 'event', seq: 1e300, ts: ts(), text: 'blinding frame' });
    feed.send({ type: 'alert', seq: ++seq, ts: ts(), id: 'a-1', severity: 'page', state: 'firing', summary: 'checkout burn after the jump' });
    feed.send(status('killswitch.tested', false));
    const screen = await t.waitFor(
      (s) => gateLight(s, PAGE_GATE) === 'NO-GO' && gateLight(s, KS_GATE) === 'NO-GO' && overall(s) === 'NO-GO',
      10_000,
      'both feed gates NO-GO after the jump',
    );
    expect(screen).toMatch(/seq jumped 1 → 1e\+300 \(more than max_seq_jump 100000\): treated as a server restart/);
    expect(screen).toContain('checkout burn after the jump');
    expect(lineWith(screen, 'sources')).toMatch(/1 restart/);
  });

  it('10k distinct page alerts with 6 KB summaries: the gate counts all 10000 exactly, the header says +9000 more, the feed stays up', async () => {
    const { feed, t } = await setup();
    const pad = 'x'.repeat(6 * 1024);
    for (let i = 0; i < 10_000; i++) {
      feed.send({ type: 'alert', seq: ++seq, ts: ts(), id: `flood-${i}`, severity: 'page', state: 'firing', summary: `flood ${i} ${pad}` });
    }
    const screen = await t.waitFor((s) => /10000 firing \(10000 page, \+9000 more\)/.test(lineWith(s, 'sources')), 30_000, 'the flood counted in the header');
    await t.waitFor((s) => /NO-GO\s+No firing page alerts on the feed\s+10000\b/.test(s), 10_000, 'the page gate at exactly 10000');
    expect(screen).not.toMatch(/feed feed disconnected/);
    expect(lineWith(t.capture(), 'sources')).toMatch(/feed up/);
  }, 60_000);

  it('a status value nested 100 deep (under 64 KiB) is dropped and counted as too_deep; the feed goes on', async () => {
    const { feed, t } = await setup();
    const deep = `{"type":"status","seq":${++seq},"ts":"${ts()}","key":"deep","value":${'['.repeat(100)}${']'.repeat(100)}}`;
    feed.sendRaw(deep);
    feed.send({ type: 'event', seq: ++seq, ts: ts(), text: 'after the deep frame' });
    const screen = await t.waitFor((s) => /dropped 1 \(1 too_deep\)/.test(lineWith(s, 'sources')), 10_000, 'the too_deep drop in the header');
    await t.waitFor(/after the deep frame/, 5_000, 'the next frame delivered');
    expect(screen).not.toContain('status deep');
  });

  it('feed text reading like our own decision line carries [feed], another console’s decision [remote:alice]; no invisible mark survives', async () => {
    const { feed, t, dir } = await setup({ record: true });
    feed.send({ type: 'event', seq: ++seq, ts: ts(), text: '\u200edecision GO by alice\u2066\u200b' });
    feed.send({ type: 'decision', seq: ++seq, ts: ts(), decision: 'GO', actor: 'alice', id: 'd-1' });
    const screen = await t.waitFor(
      (s) => s.includes('[feed] decision GO by alice') && s.includes('[remote:alice] decision GO by alice'),
      10_000,
      'both lines with their origin marks',
    );
    const lines = screen.split('\n').filter((l) => l.includes('decision GO by alice'));
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(l).toMatch(/ \[(feed|remote:alice)\] decision GO by alice$/);
    expect(screen).not.toMatch(/[\u200b-\u200f\u2066-\u2069]/);
    // What the console took in (--record) is stripped too, not only what tmux drew.
    t.send('q');
    expect(await t.exitCode(10_000)).toBe(0);
    const record = readFileSync(join(dir, 'record.jsonl'), 'utf8');
    expect(record).toContain('decision GO by alice');
    expect(record).not.toMatch(/[\u200b-\u200f\u2066-\u2069]|\\u200[b-f]|\\u206[6-9]/i);
  });
});
