/** Renders a model snapshot as Prometheus text exposition format 0.0.4. */
import type { SimSnapshot } from './model.js';

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

type Labels = Record<string, string>;
interface Family {
  name: string;
  help: string;
  type: 'gauge' | 'counter' | 'histogram';
  samples: Array<{ suffix?: string; labels?: Labels; value: number }>;
}

export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function renderLabels(labels?: Labels): string {
  if (!labels) return '';
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

export function families(s: SimSnapshot): Family[] {
  const g = (name: string, help: string, value: number, labels?: Labels): Family => ({
    name,
    help,
    type: 'gauge',
    samples: [{ value, ...(labels ? { labels } : {}) }],
  });
  return [
    g('policy_influence_pct', 'Share of traffic decided by the new policy, percent.', s.influencePct),
    {
      name: 'policy_entropy',
      help: 'Mean action-distribution entropy of the policy (normalised 0..1).',
      type: 'gauge',
      samples: [
        { labels: { policy: 'live' }, value: s.entropyLive },
        { labels: { policy: 'shadow' }, value: s.entropyShadow },
      ],
    },
    g('q_value_spread', 'Spread between the highest and lowest Q-value estimates.', s.qSpread),
    {
      name: 'http_requests_total',
      help: 'HTTP requests served, by status code.',
      type: 'counter',
      samples: [
        { labels: { status: '200' }, value: s.requestsOk },
        { labels: { status: '500' }, value: s.requestsError },
      ],
    },
    {
      name: 'request_latency_seconds',
      help: 'Request latency in seconds.',
      type: 'histogram',
      samples: [
        ...s.latency.buckets.map(([le, count]) => ({ suffix: '_bucket', labels: { le: formatValue(le) }, value: count })),
        { suffix: '_sum', value: s.latency.sum },
        { suffix: '_count', value: s.latency.count },
      ],
    },
    { name: 'inference_cost_usd_total', help: 'Inference cost in US dollars.', type: 'counter', samples: [{ value: s.costUsd }] },
    g('sim_page_alerts_firing', 'Page-severity alerts currently firing.', s.pageAlertsFiring),
    g('sim_killswitch_engaged', '1 while the kill-switch is engaged, else 0.', s.killswitchEngaged ? 1 : 0),
    g('sim_error_ratio', 'Share of requests answered with an error (0..1).', s.errorRatio),
    g('sim_latency_p99_seconds', '99th percentile request latency in seconds.', s.p99Seconds),
    g('sim_scenario_info', 'The running simulator scenario.', 1, { scenario: s.scenario }),
    ...(s.tracks
      ? [{
          name: 'sim_track_latency_p99_seconds',
          help: '99th percentile request latency in seconds, per deployment track (canary scenarios).',
          type: 'gauge' as const,
          samples: [
            { labels: { track: 'canary' }, value: s.tracks.canary },
            { labels: { track: 'stable' }, value: s.tracks.stable },
          ],
        }]
      : []),
  ];
}

export function renderExposition(s: SimSnapshot): string {
  const lines: string[] = [];
  for (const f of families(s)) {
    lines.push(`# HELP ${f.name} ${escapeHelp(f.help)}`);
    lines.push(`# TYPE ${f.name} ${f.type}`);
    for (const sm of f.samples) lines.push(`${f.name}${sm.suffix ?? ''}${renderLabels(sm.labels)} ${formatValue(sm.value)}`);
  }
  return lines.join('\n') + '\n';
}
