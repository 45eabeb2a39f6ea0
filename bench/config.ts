/** The YAML config the benchmark runs the console with: N scrape gates, one feed gate, a kill-switch. */
export interface BenchTargets {
  exporterUrl: string;
  feedUrl: string;
  controlUrl: string;
  auditDir: string;
  /** `notify:` entries (YAML flow mappings), for `--notify-sinks`. */
  notify?: string[];
}

export function benchConfigYaml(gates: number, t: BenchTargets, intervalS = 1): string {
  const lines = [
    'version: 1',
    'deployment: { name: bench, environment: bench }',
    'sources:',
    `  exporter: { type: scrape, url: ${JSON.stringify(t.exporterUrl)}, interval: ${intervalS}s }`,
    `  feed: { type: websocket, url: ${JSON.stringify(t.feedUrl)} }`,
    'gates:',
    '  - { id: killswitch_tested, title: Kill-switch tested, group: Readiness, source: feed, key: killswitch.tested, go: "== true" }',
  ];
  for (let i = 0; i < gates; i++) {
    lines.push(
      `  - { id: g${i}, title: "Gate ${i}", group: "Group ${i % 6}", source: exporter, metric: 'bench_gate_value{gate="g${i}"}', go: "<= 40", warn: "<= 45", stale_after: 15s }`,
    );
  }
  lines.push(
    'actions:',
    '  kill_switch:',
    `    http: { method: POST, url: ${JSON.stringify(`${t.controlUrl}/admin/kill-switch`)}, body: { enabled: true, reason: "{{reason}}", actor: "{{actor}}" } }`,
    '    retries: 3',
    'influence: { source: exporter, metric: policy_influence_pct }',
    `audit: { dir: ${JSON.stringify(t.auditDir)} }`,
  );
  if (t.notify?.length) lines.push('notify:', ...t.notify.map((n) => `  - ${n}`));
  lines.push('');
  return lines.join('\n');
}
