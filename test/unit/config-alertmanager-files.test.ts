import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/load.js';
import { yamlConfigs } from '../helpers/config.js';
import { probesBySource } from '../../src/engine/probes.js';

const HEAD = `version: 1
deployment: { name: d }
sources:
  am: { type: alertmanager, url: "http://127.0.0.1:9093" }
  graf: { type: alertmanager, url: "http://127.0.0.1:3000/", base_path: /api/alertmanager/grafana/, interval: 30s, headers: { Authorization: "Bearer t0ken-abc" } }
  val: { type: files, path: out }
  prom: { type: prometheus, url: "http://127.0.0.1:9090" }
gates:
`;
const { ok, bad } = yamlConfigs(HEAD);

describe('alertmanager source and gates', () => {
  it('normalizes the source (base_path without trailing slash) and the gate (go defaults to == 0)', () => {
    const c = ok(`  - { id: pages, source: am, filter: ['severity="page"', ' service="checkout" '], silences: warn }\n  - { id: all, source: graf, go: "<= 2" }\n`);
    expect(c.sources.am).toEqual({ id: 'am', type: 'alertmanager', url: 'http://127.0.0.1:9093', headers: {}, interval: 15_000, timeout: 5_000, staleAfter: 45_000 });
    expect(c.sources.graf).toMatchObject({ basePath: '/api/alertmanager/grafana', interval: 30_000, staleAfter: 90_000 });
    const [pages, all] = c.gates;
    expect(pages).toMatchObject({ filter: ['severity="page"', 'service="checkout"'], silences: 'warn' });
    expect(pages!.go?.text).toBe('== 0');
    expect(all!.go?.text).toBe('<= 2');
    expect(all!.filter).toBeUndefined();
    expect(probesBySource(c).am).toEqual([{ id: 'gate:pages', alerts: { filter: ['severity="page"', 'service="checkout"'], silences: 'warn' } }]);
    expect(probesBySource(c).graf).toEqual([{ id: 'gate:all' }]);
  });

  it('a bad matcher, a bad silences mode and a selector are problems with their lines', () => {
    const p = bad(`  - id: pages
    source: am
    filter:
      - 'severity="page"'
      - 'service'
    silences: loud
    query: up
`);
    expect(p).toEqual([
      { path: 'gates[0].filter[1]', line: 13, message: '"service" is not a label matcher: write name="value" (or != =~ !~)' },
      { path: 'gates[0].silences', line: 14, message: 'must be one of warn, ignore' },
    ]);
    expect(bad(`  - { id: pages, source: am, query: up }\n`)).toEqual([
      { path: 'gates[0].query', line: 9, message: 'query is not used by alertmanager source "am": the value is the number of matching alerts; select them with filter: [\'name="value"\']' },
    ]);
  });

  it('base_path must be a path; unknown source keys are errors', () => {
    const r = loadConfigText(`version: 1
deployment: { name: d }
sources:
  am: { type: alertmanager, url: "http://127.0.0.1:9093", base_path: "api?x=1", path: /x }
gates:
  - { id: pages, source: am }
`, { file: '/srv/wr/warroom.yaml', env: {} });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems.map((p) => [p.path, p.line, p.message.slice(0, 40)]).sort()).toEqual([
      ['sources.am.base_path', 4, 'base_path must be a URL path starting wi'],
      ['sources.am.path', 4, 'unknown key "path"'],
    ]);
  });
});

describe('files gates: field and history', () => {
  it('normalizes field, consecutive and no_failures_within, combined with max_age', () => {
    const c = ok(`  - { id: validations, source: val, consecutive: 2, no_failures_within: 72h, max_age: 24h, go: "== PASS" }\n  - { id: scorecard, source: val, field: summary.passed, go: "== true" }\n`);
    expect(c.gates[0]).toMatchObject({ consecutive: 2, noFailuresWithin: 72 * 3600_000, maxAge: 24 * 3600_000 });
    expect(c.gates[1]).toMatchObject({ field: 'summary.passed' });
    expect(probesBySource(c).val).toEqual([
      { id: 'gate:validations', files: { consecutive: 2, noFailuresWithin: 72 * 3600_000 } },
      { id: 'gate:scorecard', files: { field: 'summary.passed' } },
    ]);
  });

  it('bad values are problems at their own lines', () => {
    const p = bad(`  - id: v
    source: val
    consecutive: 0
    no_failures_within: 3 days
    field: "a..b"
    go: "== PASS"
`);
    expect(p.map((x) => [x.path, x.line])).toEqual([
      ['gates[0].consecutive', 11],
      ['gates[0].no_failures_within', 12],
      ['gates[0].field', 13],
    ]);
    expect(p[0]!.message).toBe('must be 1 or more');
    expect(p[2]!.message).toMatch(/dotted path/);
  });
});

describe('keys on the wrong source type', () => {
  it('are config errors with line numbers, all at once', () => {
    const p = bad(`  - id: q
    source: prom
    query: up
    go: "== 1"
    filter: ['a="b"']
    silences: warn
    field: x
    consecutive: 2
    no_failures_within: 1h
  - { id: pages, source: am, field: status, max_age: 1h }
  - { id: v, source: val, go: "== PASS", filter: ['a="b"'] }
  - { id: ack, source: manual, signoff_role: x, consecutive: 1 }
`);
    expect(p.map((x) => [x.path, x.line, x.message])).toEqual([
      ['gates[0].filter', 13, 'filter is only for alertmanager sources; "prom" is prometheus'],
      ['gates[0].silences', 14, 'silences is only for alertmanager sources; "prom" is prometheus'],
      ['gates[0].field', 15, 'field is only for files sources; "prom" is prometheus'],
      ['gates[0].consecutive', 16, 'consecutive is only for files sources; "prom" is prometheus'],
      ['gates[0].no_failures_within', 17, 'no_failures_within is only for files sources; "prom" is prometheus'],
      ['gates[1].max_age', 18, 'max_age is only for files sources; "am" is alertmanager'],
      ['gates[1].field', 18, 'field is only for files sources; "am" is alertmanager'],
      ['gates[2].filter', 19, 'filter is only for alertmanager sources; "val" is files'],
      ['gates[3].consecutive', 20, 'consecutive is not used by manual gates: they pass when signed'],
    ]);
  });
});
