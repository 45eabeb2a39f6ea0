/**
 * A typed text param that goes into a command's argv cannot start with - @ < (a tool reads those as
 * an option or a file): refused at the prompt and again at the act; body-only params are left alone.
 */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigText } from '../../src/config/load.js';
import { renderConsole } from '../helpers/ink.js';
import type { RunbookParam } from '../../src/config/types.js';
import { parseParam, paramsRefusal } from '../../src/flows/runbookParams.js';
import { ENTER, run } from './flows-helpers.js';
import type { RunbookOption } from '../../src/flows/palette.js';

const ARGV_NOTE: RunbookParam = { name: 'note', kind: 'text', maxLength: 80, inArgv: true };
const BODY_NOTE: RunbookParam = { name: 'note', kind: 'text', maxLength: 80 };

describe('text params in argv', () => {
  it('refuses a leading -, @ or < (after trimming), says why, and accepts them elsewhere in the value', () => {
    for (const bad of ['@/etc/hostname', ' @/etc/hostname', '-o/tmp/x', '--config=/x', '</etc/passwd']) {
      const r = parseParam(ARGV_NOTE, bad);
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.error).toMatch(/^note may not start with "[-@<]": a command reads - as an option, @ and < as files$/);
    }
    expect(parseParam(ARGV_NOTE, 'paged bob@example.com - ok')).toEqual({ ok: true, value: 'paged bob@example.com - ok' });
    // The same text in a JSON body means nothing special: left alone.
    expect(parseParam(BODY_NOTE, '@/etc/hostname')).toEqual({ ok: true, value: '@/etc/hostname' });
  });

  it('is refused again at the act (paramsRefusal), whatever the prompt let through', () => {
    expect(paramsRefusal([ARGV_NOTE], { note: '@/etc/hostname' })).toMatch(/note may not start with "@"/);
    expect(paramsRefusal([ARGV_NOTE], { note: 'canary looks fine' })).toBeUndefined();
  });

  it('the prompt keeps the runbook open with the error and does not accept the value', () => {
    const rb: RunbookOption = { id: 'note', title: 'Post a note', params: [ARGV_NOTE], usesReason: false, sends: 'runs curl (no shell)' };
    const r = run('palette', ['post a note', ENTER, '@/etc/hostname', ENTER], { runbooks: [rb] });
    expect(r.flow).toMatchObject({ kind: 'runbook', step: 'param', error: expect.stringMatching(/may not start with "@"/) });
    expect(r.effects.filter((e) => e.type === 'runbook')).toEqual([]);
  });

  it('a runbook whose argv carries {{reason}} holds the typed reason to the same rule', () => {
    const rb: RunbookOption = { id: 'page', title: 'Page the owner', params: [], usesReason: true, reasonInArgv: true, sends: 'runs curl (no shell)' };
    const bad = run('palette', ['page the owner', ENTER, '@/etc/passwd', ENTER], { runbooks: [rb] });
    expect(bad.flow).toMatchObject({ kind: 'runbook', step: 'reason', error: 'the reason may not start with "@": a command reads - as an option, @ and < as files' });
    const ok = run('palette', ['page the owner', ENTER, 'canary 5xx up', ENTER], { runbooks: [rb] });
    expect(ok.flow).toMatchObject({ kind: 'runbook', step: 'confirm' });
    // Without {{reason}} in an argv, the same reason text is fine.
    const body = run('palette', ['page the owner', ENTER, '@/etc/passwd', ENTER], { runbooks: [{ ...rb, reasonInArgv: false }] });
    expect(body.flow).toMatchObject({ step: 'confirm' });
  });

  it('the config marks exactly the text params an argv uses (whole element or inside one), not body ones', () => {
    const text = `version: 1
deployment: { name: d }
sources:
  exporter: { type: scrape, url: "http://127.0.0.1:9108/metrics" }
gates:
  - { id: e, source: exporter, metric: e, go: ">= 0.9" }
actions:
  runbooks:
    post:
      argv: [curl, -sS, -d, "{{note}}", -F, "who={{who}}", "http://127.0.0.1:1/x"]
      params: { note: { type: text }, who: { type: text }, pct: { type: pct }, unused: { type: text } }
    body:
      http: { method: POST, url: "http://127.0.0.1:1/x", body: { note: "{{note}}" } }
      params: { note: { type: text } }
`;
    const r = loadConfigText(text, { file: '/x/warroom.yaml', env: {} });
    if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('\n'));
    const flags = (id: string) => Object.fromEntries(r.config.actions.runbooks![id]!.params.map((p) => [p.name, p.inArgv === true]));
    expect(flags('post')).toEqual({ note: true, who: true, pct: false, unused: false });
    expect(flags('body')).toEqual({ note: false });
    expect(r.config.actions.runbooks!.post!.reasonInArgv).toBeUndefined();
  });
});

describe('at the act (ActionRunner.runbook), whatever opened it', () => {
  it('refuses @file with a notice naming the runbook and why, and starts nothing', async () => {
    const marker = join(tmpdir(), `warroom-argv-act-${process.pid}-${Date.now()}`);
    const text = `version: 1
deployment: { name: d }
sources:
  exporter: { type: scrape, url: "http://127.0.0.1:9/metrics" }
gates:
  - { id: e, source: exporter, metric: e, go: ">= 0.9" }
actions:
  runbooks:
    post:
      title: Post a note
      argv: [${JSON.stringify(process.execPath)}, -e, "require('fs').writeFileSync(process.argv[1], process.argv[2])", ${JSON.stringify(marker)}, "{{note}}"]
      params: { note: { type: text } }
`;
    const r = loadConfigText(text, { file: '/x/warroom.yaml', env: {} });
    if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('\n'));
    const ui = await renderConsole({ config: r.config });
    expect(ui.runner.runbook({ id: 'post', params: { note: '@/etc/hostname' } })).toBe(false);
    expect(ui.store.getState().notice?.text).toBe('runbook "Post a note" refused: note may not start with "@": a command reads - as an option, @ and < as files');
    await new Promise((res) => setTimeout(res, 300));
    expect(existsSync(marker)).toBe(false);
    expect(ui.store.getState().actions).toEqual([]);
    ui.unmount();
  });

  it('a runbook with {{reason}} in its argv refuses a reason starting with - at the act', async () => {
    const text = `version: 1
deployment: { name: d }
sources:
  exporter: { type: scrape, url: "http://127.0.0.1:9/metrics" }
gates:
  - { id: e, source: exporter, metric: e, go: ">= 0.9" }
actions:
  runbooks:
    page: { title: Page the owner, argv: [${JSON.stringify(process.execPath)}, -e, "0", "{{reason}}"] }
`;
    const r = loadConfigText(text, { file: '/x/warroom.yaml', env: {} });
    if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('\n'));
    expect(r.config.actions.runbooks!.page!.reasonInArgv).toBe(true);
    const ui = await renderConsole({ config: r.config });
    expect(ui.runner.runbook({ id: 'page', params: {}, reason: '--inspect=0.0.0.0:9229' })).toBe(false);
    expect(ui.store.getState().notice?.text).toBe('runbook "Page the owner" refused: the reason may not start with "-": a command reads - as an option, @ and < as files');
    expect(ui.store.getState().actions).toEqual([]);
    ui.unmount();
  });
});
