/** The HTML report's renderer, pure: escaping, self-containment, and what it says. */
import { describe, expect, it } from 'vitest';
import type { LedgerLine } from '../../src/audit/types.js';
import { parseHistory, type HistoryLine } from '../../src/history/format.js';
import { esc } from '../../src/report/escape.js';
import { renderHtml } from '../../src/report/html.js';
import type { ReportInputs } from '../../src/report/inputs.js';
import { gateLimits } from '../../src/report/limits.js';
import { buildModel } from '../../src/report/model.js';
import { withBreaks } from '../../src/report/breaks.js';

const T0 = Date.parse('2026-12-07T10:00:00Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const HOSTILE = '<script>alert(1)</script><img src="http://127.0.0.1:9/x.png" onerror="alert(2)">';

let seq = 0;
function line(s: number, type: string, actor: string, extra: Record<string, unknown> = {}): LedgerLine {
  seq++;
  return { schema: 'warroom.ledger/v1', seq, ts: at(s), type, actor, deployment: 'rl-policy-v42', environment: 'prod', prev_hash: 'sha256:x', hash: `sha256:${seq}`, ...extra } as unknown as LedgerLine;
}

function inputs(lines: LedgerLine[], extra: Partial<ReportInputs> = {}): ReportInputs {
  return {
    lines,
    chained: lines.map((l) => ({ line: l, inChain: true })),
    rules: { deployment: 'rl-policy-v42', maxAgeMs: 12 * 3600_000, now: T0 + 3600_000 },
    integrity: { ok: true, text: `verified: ${lines.length} ledger line(s) chained` },
    counted: lines.filter((l) => l.type === 'signoff').map((l) => ({ role: (l as { role: string }).role, actor: l.actor, at: Date.parse(l.ts), gate: 'oncall_ack' })),
    unverified: [],
    claims: [],
    attribution: 'signed: only acts signed by a key allowed_signers lists for their actor count',
    invalidated: [],
    refusedInvalidations: [],
    ...extra,
  };
}

function window() {
  seq = 0;
  const lines = [
    line(60, 'signoff', 'bob', { role: 'on_call', gate: 'oncall_ack' }),
    line(100, 'override.request', 'alice', { id: 'r1', kind: 'go', justification: 'ship it', overridden: ['entropy'], expires: at(7300) }),
    line(110, 'override.approve', 'dave', { request: 'r1', kind: 'go' }),
    line(115, 'waiver', 'bob', { gate: 'entropy', reason: 'known flake', expires: at(3700) }),
    line(120, 'decision', 'alice', { decision: 'GO', id: 'd1', file: 'f', record_hash: 'h', justification: `all green ${HOSTILE}`, next_review: null, score: { value: 87.5, pass: 90, warning: 75 } }),
    line(130, 'action', 'alice', { action: 'set_influence', phase: 'requested', from_pct: 0, to_pct: 10, idempotency_key: 'k1', reason: 'stage one' }),
    line(136, 'action', 'alice', { action: 'set_influence', phase: 'verified', from_pct: 0, to_pct: 10, idempotency_key: 'k1' }),
    line(1900, 'checkpoint.ack', 'alice', { stage: 0, offset_ms: 1_800_000, label: 'Check for any alerts' }),
    line(2400, 'action', 'carol"><b>', { action: 'kill_switch', phase: 'requested', from_pct: 10, idempotency_key: 'k2', reason: HOSTILE }),
    line(2406, 'action', 'carol"><b>', { action: 'kill_switch', phase: 'verified', from_pct: 10, to_pct: 0, idempotency_key: 'k2' }),
    line(2410, 'action', 'alice', { action: 'runbook', phase: 'verified', runbook: 'downshift', params: { mode: 'balanced' }, idempotency_key: 'k3' }),
  ];
  const history: HistoryLine[] = [
    { k: 'meta', v: 1, t: T0, deployment: 'rl-policy-v42', environment: 'prod', actor: 'alice', gates: [{ id: 'entropy', title: HOSTILE, group: 'Policy health', severity: 'critical', go: '>= 0.9', warn: '>= 0.8' }, { id: 'oncall_ack', title: 'On-call ACK', group: 'Readiness', severity: 'critical', manual: true }], ramp: { stages: [{ influence: 10, hold: 7_200_000, checkpoints: [{ at: 1_800_000, label: 'Check for any alerts' }] }, { influence: 25, hold: 0, checkpoints: [] }] } },
    { t: T0, g: 'entropy', s: 'PASS', v: 0.95, th: '>= 0.9 (warn >= 0.8)' },
    { t: T0, g: 'oncall_ack', s: 'FAIL', v: null, th: 'signed: on_call' },
    { t: T0 + 60_000, g: 'oncall_ack', s: 'PASS', v: true },
    { t: T0, i: 0 },
    { t: T0 + 136_000, i: 10 },
    { t: T0 + 600_000, g: 'entropy', s: 'PASS', v: 0.94, w: 'FAIL' },
    { t: T0 + 2_390_000, g: 'entropy', s: 'FAIL', v: 0.55 },
    { t: T0 + 2_406_000, i: 0 },
    { t: T0 + 3_000_000, o: 'NO-GO' },
  ];
  const waiver = lines.find((l) => l.type === 'waiver')!;
  const invalidated = [{ target: { file: 'ledger.jsonl', line: 3, hash: waiver.hash }, targetType: 'waiver', targetActor: 'bob', targetWhat: 'waiver of entropy', actor: 'alice', at: T0 + 200_000, reason: 'wrong gate', hash: 'sha256:inv', act: waiver.hash }];
  return buildModel(inputs(lines, { invalidated }), { lines: history, files: ['history.jsonl'], notes: [] }, { generatedAt: T0 + 3_600_000 });
}

describe('report HTML renderer', () => {
  it('is self-contained: no script, nothing fetched by src/href, no url() but in-page patterns', () => {
    const html = renderHtml(window());
    expect(html).not.toMatch(/<script/i);
    // Every real tag (escaped text has no `<`): no attribute that makes a browser fetch.
    const tags = html.match(/<[a-zA-Z][^>]*>/g)!;
    expect(tags.length).toBeGreaterThan(100);
    // Attribute values are always double-quoted and escaped, so names are what precedes ="…".
    const names = new Set(tags.flatMap((t) => [...t.matchAll(/\s([^\s="]+)="[^"]*"/g)].map((m) => m[1]!.toLowerCase())));
    for (const bad of ['src', 'href', 'xlink:href', 'srcset', 'action', 'formaction', 'poster', 'data', 'background']) expect(names).not.toContain(bad);
    expect([...names].filter((n) => n.startsWith('on'))).toEqual([]);
    for (const tag of tags) expect(tag.replace(/="[^"]*"/g, '')).not.toMatch(/[="']/);
    expect(html).not.toMatch(/@import/i);
    expect(html.match(/url\(([^)]*)\)/g)!.every((u) => /^url\(#p-[a-z]+\)$/.test(u))).toBe(true);
    expect(html).not.toMatch(/<(?:link|iframe|object|embed|img|image|use|foreignObject|base|form)\b/i);

    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
  });

  it('escapes text from the outside world: a hostile gate title, reason, justification and actor stay text', () => {
    const html = renderHtml(window());
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=&quot;http://127.0.0.1:9/x.png&quot; onerror=&quot;alert(2)&quot;&gt;');
    expect(html).toContain('carol&quot;&gt;&lt;b&gt;');
    expect(html).not.toContain('carol"><b>');
    expect(esc('a\u001b[31mred\u0007 & "q" \'s\'')).toBe('ared &amp; &quot;q&quot; &#39;s&#39;');
  });

  it('says the outcome, each act with who did it, the gate statuses in words and the ledger verdict', () => {
    const m = window();
    expect(m.outcome.word).toBe('KILLED');
    expect(m.outcome.level).toBe('nogo');
    const html = renderHtml(m);
    expect(html).toContain('<div class="word nogo">KILLED</div>');
    expect(m.outcome.lines).toContain('score 87 % (pass ≥ 90, warning ≥ 75)');
    expect(html).toContain('<s>waiver of entropy</s> <span class="badge info">invalidated by alice</span>');
    for (const text of ['override requested (GO over NO-GO)', 'override approved', 'invalidated waiver of entropy by bob', 'score 87 %', 'decision GO', 'sign-off on_call on oncall_ack', 'influence 0% → 10% verified', 'kill-switch verified', 'runbook downshift verified', 'checkpoint acknowledged: Check for any alerts', 'stage 1 · 10%', 'stage 2 · 25%'])
      expect(html).toContain(text);
    // A status is never colour alone: the ribbon carries the word, the periods list it.
    expect(html).toMatch(/<text class="ribbon-word"[^>]*>NO-GO<\/text>/);
    expect(html).toMatch(/Not GO: <span class="badge nogo">NO-GO<\/span> briefly before 10:10:00 · <span class="badge nogo">NO-GO<\/span> 10:39:50–/);
    expect(html).toContain('go &gt;= 0.9');
    expect(html).toContain('warn &gt;= 0.8');
    expect(html).toContain('class="zone-warn"');
    expect(html).toContain('Integrity: <span class="ok">OK</span>');
    expect(html).toContain('unsigned: anyone who can write the audit dir could have written these lines');
  });

  it('influence steps follow the history, with the checkpoint due and acknowledged', () => {
    const m = window();
    expect(m.influence.from).toBe('history');
    expect(m.influence.steps.map((s) => s.pct)).toEqual([0, 10, 0, 0]);
    expect(m.influence.checkpoints).toEqual([{ stage: 0, label: 'Check for any alerts', due: T0 + 136_000 + 1_800_000, ack: { at: T0 + 1_900_000, actor: 'alice' } }]);
    const kill = m.marks.find((k) => k.kind === 'kill')!;
    expect(kill).toMatchObject({ at: T0 + 2_400_000, until: T0 + 2_406_000, label: 'kill-switch verified', level: 'nogo' });
  });

  it('an 8-hour window of 10 gates with a point every 2 s stays a small page, its red kept', () => {
    const lines: HistoryLine[] = [{ t: T0, i: 10 }];
    for (let g = 0; g < 10; g++)
      for (let k = 0; k < 14_400; k++) lines.push({ t: T0 + k * 2000, g: `g${g}`, s: k >= 7500 && k < 7515 ? 'FAIL' : 'PASS', v: 0.9 + Math.sin(k / 5) / 20 });
    const m = buildModel(inputs([]), { lines: lines.sort((a, b) => a.t - b.t), files: [], notes: [] });
    const html = renderHtml(m);
    expect(html.length).toBeLessThan(1_200_000);
    // The 30 s of red in each gate is still drawn, and said in words.
    expect(html.match(/<path class="step nogo"/g)!.length).toBeGreaterThanOrEqual(10);
    expect(html.match(/Not GO: <span class="badge nogo">NO-GO<\/span> 14:10:00–14:10:30/g)).toHaveLength(10);
  });

  it('a checkpoint of a stage left before it fell due is not shown as due', () => {
    const lines: HistoryLine[] = [
      { k: 'meta', v: 1, t: T0, deployment: 'd', environment: 'e', actor: 'a', gates: [], ramp: { stages: [{ influence: 10, hold: 0, checkpoints: [{ at: 1_800_000, label: 'T+30' }] }, { influence: 25, hold: 0, checkpoints: [] }] } },
      { t: T0, i: 10 },
      { t: T0 + 600_000, i: 25 },
      { t: T0 + 3_600_000, o: 'GO' },
    ];
    expect(buildModel(inputs([]), { lines, files: [], notes: [] }).influence.checkpoints).toEqual([]);
    lines[2] = { t: T0 + 2_000_000, i: 25 };
    expect(buildModel(inputs([]), { lines, files: [], notes: [] }).influence.checkpoints).toEqual([{ stage: 0, label: 'T+30', due: T0 + 1_800_000 }]);
  });

  it('without history the influence comes from the verified actions, and the page says no gate history was kept', () => {
    seq = 0;
    const lines = [line(0, 'note', 'alice', { text: 'start' }), line(10, 'action', 'alice', { action: 'set_influence', phase: 'verified', from_pct: 0, to_pct: 25, idempotency_key: 'k' }), line(70, 'note', 'alice', { text: 'end' })];
    const m = buildModel(inputs(lines), { lines: [], files: [], notes: [] });
    expect(m.influence.from).toBe('ledger');
    expect(m.influence.steps).toEqual([{ t: T0, pct: 0 }, { t: T0 + 10_000, pct: 25 }, { t: T0 + 70_000, pct: 25 }]);
    expect(renderHtml(m)).toContain('No gate history was recorded for this window');
  });

  it('a ratio threshold is drawn at its evaluated limit; words and booleans have no line', () => {
    expect(gateLimits({ id: 'q', title: 'q', group: '', severity: 'critical', go: '<= 2x', warn: '<= 3x', baseline: 1.4 }, '<= 2x (2.8) (warn <= 3x (4.2))')).toEqual({
      go: { op: '<=', value: 2.8, text: '<= 2x (2.8)' },
      warn: { op: '<=', value: 4.2, text: '<= 3x (4.2)' },
    });
    expect(gateLimits(undefined, '>= 0.9 (warn >= 0.8)')).toEqual({ go: { op: '>=', value: 0.9, text: '>= 0.9' }, warn: { op: '>=', value: 0.8, text: '>= 0.8' } });
    expect(gateLimits(undefined, '== true')).toEqual({});
  });

  it('a damaged history never breaks the report: bad lines skipped, a malformed meta kept only where it has the shape', () => {
    const text = [
      JSON.stringify({ k: 'meta', v: 1, t: T0, deployment: 'd', gates: [null, { id: 'entropy', title: 7, go: { x: 1 } }], ramp: { stages: 'x' } }),
      JSON.stringify({ t: T0, g: 'entropy', s: 'PASS', v: 1, th: { not: 'text' } }),
      JSON.stringify({ t: T0, g: 'entropy', s: 'PASS', v: { evil: true } }),
      JSON.stringify({ t: T0 + 1000, g: 'entropy', s: 'FAIL', v: 0.5 }),
    ].join('\n');
    const h = parseHistory(text);
    expect(h.skipped).toBe(1);
    const m = buildModel(inputs([]), { lines: h.lines, files: ['history.jsonl'], notes: [] });
    expect(m.gates).toEqual([expect.objectContaining({ id: 'entropy', title: 'entropy', points: [{ t: T0, s: 'PASS', v: null }, { t: T0 + 1000, s: 'FAIL', v: 0.5 }] })]);
    expect(m.influence.stages).toEqual([]);
    expect(renderHtml(m)).toContain('Not GO: <span class="badge nogo">NO-GO</span>');
  });

  it('a console that quit or died leaves a gap of UNKNOWN, not the last value stretched; the last stop makes none', () => {
    const meta = (t: number): HistoryLine => ({ k: 'meta', v: 1, t, deployment: 'd', environment: 'e', actor: 'a', gates: [] });
    const lines: HistoryLine[] = [
      meta(0), { t: 0, g: 'x', s: 'PASS', v: 1 }, { t: 0, o: 'GO' }, { t: 0, i: 10 }, { t: 50, k: 'stop' },
      meta(1000), { t: 1000, g: 'x', s: 'PASS', v: 1 }, { t: 1200, g: 'x', s: 'WARN', v: 2 },
      meta(5000), { t: 5000, g: 'x', s: 'PASS', v: 1 }, { t: 6000, k: 'stop' },
    ];
    const b = withBreaks(lines);
    expect(b.gaps).toEqual([50, 1201]);
    expect(b.lines.filter((l) => 'g' in l).map((l) => [l.t, (l as { s: string }).s])).toEqual([[0, 'PASS'], [50, 'UNKNOWN'], [1000, 'PASS'], [1200, 'WARN'], [1201, 'UNKNOWN'], [5000, 'PASS']]);
    const m = buildModel(inputs([]), { lines, files: [], notes: [] });
    expect(m.overall).toEqual([{ t: 0, o: 'GO' }, { t: 50, o: null }]);
    expect(m.influence.steps.map((x) => x.pct)).toEqual([10, null, null]);
    expect(renderHtml(m)).toContain('>no console</text>');
  });
});
