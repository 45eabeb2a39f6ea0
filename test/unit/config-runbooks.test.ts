/** actions.runbooks and gate remedy (SPEC §9.5): shapes, and every problem with its path and line. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadConfigFile, loadConfigText, type LoadResult } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';

const HEAD = `version: 1
deployment: { name: d }
roles:
  release_captain: [alice]
  on_call: [bob]
sources:
  exporter: { type: scrape, url: "http://127.0.0.1:9108/metrics" }
gates:
  - { id: entropy, source: exporter, metric: e, go: ">= 0.9", rollback: prompt, remedy: downshift }
`;
const DOWNSHIFT = `actions:
  runbooks:
    downshift:
      title: Downshift to balanced
      http: { method: POST, url: "http://127.0.0.1:8001/admin/mode/set", body: { mode: "{{mode}}", by: "{{actor}}" } }
      params: { mode: { choice: [balanced, fast] } }
      roles: [release_captain, on_call]
      verify: { source: exporter, metric: 'llm_mode{mode="balanced"}', expect: "== 1", within: 30s }
`;

function load(text: string): LoadResult {
  return loadConfigText(text, { file: '/srv/wr/warroom.yaml', env: {} });
}
function ok(text: string): Config {
  const r = load(text);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.line} ${p.path}: ${p.message}`).join('\n'));
  return r.config;
}
/** "path@line" -> message; fails if the text loads. */
function probs(text: string): Record<string, string> {
  const r = load(text);
  if (r.ok) throw new Error('expected problems');
  return Object.fromEntries(r.problems.map((p) => [`${p.path}@${p.line}`, p.message]));
}

describe('actions.runbooks', () => {
  it('the contract example (config/warroom.example.yaml) carries the SPEC §9.5 runbook and remedy', async () => {
    const r = await loadConfigFile(join(import.meta.dirname, '../../config/warroom.example.yaml'), { PROM_TOKEN: 'p-token-123', CONTROL_TOKEN: 'c-token-123' });
    if (!r.ok) throw new Error(r.problems.map((p) => `${p.line} ${p.path}: ${p.message}`).join('\n'));
    expect(r.config.actions.runbooks?.downshift).toMatchObject({ title: 'Downshift to balanced', roles: ['release_captain', 'on_call'], params: [{ name: 'mode', kind: 'choice' }] });
    expect(r.config.gates.find((g) => g.id === 'entropy')?.remedy).toBe('downshift');
  });

  it('builds the SPEC §9.5 example: action, params, roles, verify, and the gate remedy', () => {
    const c = ok(HEAD + DOWNSHIFT);
    const rb = c.actions.runbooks?.downshift;
    expect(rb).toMatchObject({
      id: 'downshift',
      title: 'Downshift to balanced',
      params: [{ name: 'mode', kind: 'choice', choices: ['balanced', 'fast'] }],
      roles: ['release_captain', 'on_call'],
      usesReason: false,
      action: { kind: 'http', method: 'POST', url: 'http://127.0.0.1:8001/admin/mode/set', retries: 0, timeout: 5000, verify: { source: 'exporter', metric: 'llm_mode{mode="balanced"}', expect: '== 1', within: 30_000 } },
    });
    expect(c.gates.find((g) => g.id === 'entropy')?.remedy).toBe('downshift');
  });

  it('argv runbooks with pct and text params; {{reason}} makes the flow ask for one; expect may use a param', () => {
    const c = ok(
      HEAD.replace(', remedy: downshift', '') +
        `actions:
  runbooks:
    cap:
      argv: [make, cap, "PCT={{p}}", "{{note}}", "{{reason}}"]
      params: { p: { type: pct, label: new cap % }, note: { type: text, max_length: 40 } }
      confirm: Cap the canary?
      retries: 2
      verify: { source: exporter, metric: cap_pct, expect: "== {{p}}" }
`,
    );
    expect(c.actions.runbooks?.cap).toMatchObject({
      title: 'cap',
      confirm: 'Cap the canary?',
      usesReason: true,
      params: [
        { name: 'p', kind: 'pct', label: 'new cap %' },
        { name: 'note', kind: 'text', maxLength: 40 },
      ],
      action: { kind: 'argv', retries: 2, verify: { expect: '== {{p}}', within: 30_000 } },
    });
    expect(c.actions.runbooks?.cap?.roles).toBeUndefined();
  });

  it('unknown placeholders, verify sources, roles and remedies are problems at their lines', () => {
    const p = probs(
      HEAD.replace('remedy: downshift', 'remedy: downshfit') +
        `actions:
  runbooks:
    downshift:
      http: { url: "http://127.0.0.1:8001/x/{{mode}}", body: { mode: "{{mdoe}}" } }
      params: { mode: { choice: [balanced, fast] } }
      roles: [release_captian]
      verify: { source: exportr, metric: m, expect: "== {{level}}" }
    other:
      argv: [run, "{{pct}}"]
`,
    );
    expect(p).toMatchObject({
      'gates[0].remedy@9': 'unknown runbook "downshfit" (actions.runbooks: downshift, other)',
      'actions.runbooks.downshift.http.url@13': 'placeholders are not filled in url: put them in body',
      'actions.runbooks.downshift.http.body.mode@13': 'unknown placeholder {{mdoe}}: this runbook fills {{mode}} {{actor}} {{reason}}',
      'actions.runbooks.downshift.roles[0]@15': 'role "release_captian" is not defined in roles (defined: release_captain, on_call)',
      'actions.runbooks.downshift.verify.expect@16': 'unknown placeholder {{level}}: this runbook fills {{mode}} {{actor}} {{reason}}',
      'actions.runbooks.other.argv[1]@18': 'unknown placeholder {{pct}}: this runbook fills {{actor}} {{reason}}',
    });
  });

  it('reports a bad verify source, bad params and a role list without a roles section', () => {
    const p = probs(
      `version: 1
deployment: { name: d }
sources:
  exporter: { type: scrape, url: "http://127.0.0.1:9108/metrics" }
gates:
  - { id: g, source: exporter, metric: e, go: "> 0" }
actions:
  runbooks:
    a:
      http: { url: "http://127.0.0.1:1/a" }
      roles: [on_call]
      verify: { source: nowhere, metric: m, expect: "== 1" }
    b:
      argv: [x]
      params: { actor: { type: text }, m: { choice: [] }, t: { type: pct, max_length: 3 }, u: {} }
    c: { title: no action }
`,
    );
    expect(p).toMatchObject({
      'actions.runbooks.a.roles@11': 'roles needs the top-level roles section (who holds which role)',
      'actions.runbooks.a.verify.source@12': 'unknown source "nowhere" (configured: exporter)',
      'actions.runbooks.b.params.actor@15': '"actor" is filled in by the console ({{actor}}); choose another param name',
      'actions.runbooks.b.params.m.choice@15': 'must list at least one value',
      'actions.runbooks.b.params.t.max_length@15': 'max_length is only for text params',
      'actions.runbooks.b.params.u@15': 'give type: pct (a whole number 0-100) or type: text (one line), or choice: [a, b]',
      'actions.runbooks.c@16': 'needs http: { url: ... } or argv: [program, args...]',
    });
  });

  it('an unknown key in a runbook or a param is a problem with a hint', () => {
    const p = probs(HEAD + DOWNSHIFT.replace('roles: [release_captain, on_call]', 'role: [on_call]').replace('{ choice: [balanced, fast] }', '{ choices: [balanced] }'));
    expect(Object.entries(p).map(([k, v]) => `${k} ${v}`)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^actions\.runbooks\.downshift\.role@\d+ unknown key "role"/), expect.stringMatching(/params\.mode\.choices@\d+ unknown key "choices" \(did you mean "choice"\?\)/)]),
    );
  });
});
