/**
 * The configuration after loading and validation: durations in milliseconds, thresholds
 * parsed, environment variables substituted. `secrets` lists every substituted value so
 * that output paths can redact them.
 */
import type { Threshold } from './threshold.js';
import type { NatsConfig } from './sections/roomNats.js';
import type { SourceConfig } from './sources/index.js';
import type { HttpProbeSpec } from './sources/httpSpec.js';

/** The normalised sources, one variant per source type, derived from the registry (./sources/index.ts). */
export type { SourceConfig, SourceType } from './sources/index.js';
export type { AlertmanagerSource } from './sources/alertmanager.js';
export type { CommandSource } from './sources/command.js';
export type { FilesSource } from './sources/files.js';
export type { HttpSource } from './sources/http.js';
export type { PrometheusSource } from './sources/prometheus.js';
export type { ScrapeSource } from './sources/scrape.js';
export type { WebsocketSource } from './sources/websocket.js';

/** `info` gates are shown and recorded but never counted by the decision rule (watch-only). */
export type Severity = 'critical' | 'advisory' | 'info';

export type { HttpMethod, HttpProbeSpec, HttpValueSpec } from './sources/httpSpec.js';

export interface GateConfig {
  id: string;
  title: string;
  group: string;
  severity: Severity;
  /** A configured source id, or 'manual'. */
  source: string;
  query?: string;
  metric?: string;
  key?: string;
  baseline?: number;
  baselineQuery?: string;
  baselineMetric?: string;
  go?: Threshold;
  warn?: Threshold;
  for: number; // ms, 0 = none
  staleAfter: number; // ms
  maxAge?: number; // ms, files sources
  /** files: JSON field (a.b.c) read as the value instead of `status`. */
  field?: string;
  /** files: the newest N files must all be PASS. */
  consecutive?: number;
  /** files: ms; no file modified this recently may be anything but PASS. */
  noFailuresWithin?: number;
  /** alertmanager: label matchers, as Alertmanager's `filter` parameter takes them. */
  filter?: string[];
  /** alertmanager: `warn` holds a pass at WARN while a matching silence is active. */
  silences?: 'warn' | 'ignore';
  rollback?: 'prompt' | 'auto';
  signoffRole?: string;
  /** Built in (feed_page_alerts), not from the file. */
  builtin?: boolean;
  /** http sources: this gate's request and value. */
  http?: HttpProbeSpec;
  /** Who to ask, where the runbook is, what the gate is for: shown in the detail and recorded. */
  owner?: string;
  runbook?: string;
  description?: string;
  /** SPEC §9.5: the gate's share of the score; absent = 1, 0 counts nothing. */
  weight?: number;
  /** A runbook id (actions.runbooks) that `x` runs for this gate (SPEC §9.5). */
  remedy?: string;
  /** compare:/trend: statistical judgment over a window (config/sections/judgment.ts). */
  judge?: JudgeConfig;
  /** A worse status must hold this many evaluations in a row to show (judged gates: 3 unless `for:` is given). */
  forEvaluations?: number;
}

/** A judged gate: canary against baseline (`compare`) or the slope of one series (`trend`). */
export interface JudgeConfig {
  kind: 'compare' | 'trend';
  /** compare: PromQL queries (prometheus), metrics (scrape) or keys (websocket). */
  canary?: string;
  baseline?: string;
  /** trend: the one series. */
  series?: string;
  window: number; // ms
  step: number; // ms
  bad: 'increase' | 'decrease' | 'either';
  /** Fraction (0.1 = 10 %); trend: per hour. */
  tolerance: number;
  /** Fraction (0.95). */
  confidence: number;
  minSamples: number;
}

export interface DecisionConfig {
  unknown: 'nogo' | 'warn';
  warnWhenFailedAtMost: number;
  requireSignoffs: string[];
  /** ms: older sign-offs never count (SPEC §9.1). */
  signoffMaxAge: number;
  /** SPEC §9.5: percent thresholds of the weighted score; absent = the §6 rule alone. */
  score?: { pass: number; warning: number };
  /** SPEC §9.5: GO while NO-GO becomes a request that needs these approvals. */
  override?: ApprovalRule;
}

/** SPEC §9.5: `count` distinct actors holding one of `roles`, within `expiresMs` of the request. */
export interface ApprovalRule {
  roles: string[];
  count: number;
  expiresMs: number;
}

/** SPEC §9.1; paths absolute. */
export interface RoomConfig {
  allowedSigners?: string;
  signingKey?: string;
  /** SPEC §10.1: the room on NATS JetStream; absent = the embedded default. */
  nats?: NatsConfig;
}

export interface CheckpointConfig {
  at: number; // ms from stage start
  label: string;
}
export interface StageConfig {
  influence: number;
  hold: number; // ms
  checkpoints: CheckpointConfig[];
}
export interface RampConfig {
  /** 'manual' or ms epoch */
  start: 'manual' | number;
  maxStep: number;
  stages: StageConfig[];
}

export interface VerifyConfig {
  source: string;
  metric?: string;
  query?: string;
  key?: string;
  /** May contain {{pct}}; parsed after templating. */
  expect: string;
  within: number; // ms
}
export interface HttpActionConfig {
  kind: 'http';
  method: string;
  url: string;
  headers: Record<string, string>;
  /** JSON body; string leaves may contain {{actor}} {{reason}} {{pct}}. */
  body?: unknown;
  followRedirects?: boolean;
  timeout: number; // ms per attempt
  retries: number;
  verify?: VerifyConfig;
}
export interface ArgvActionConfig {
  kind: 'argv';
  argv: string[];
  timeout: number;
  retries: number;
  verify?: VerifyConfig;
}
export type ActionConfig = HttpActionConfig | ArgvActionConfig;

/** SPEC §9.4: one notification sink, normalized (durations in ms). */
export type NotifySinkType = 'slack' | 'teams' | 'webhook' | 'pagerduty';
export interface NotifySinkConfig {
  type: NotifySinkType;
  /** Position in `notify:`; with the type it names the sink (`slack#0`) wherever it is shown. */
  index: number;
  /** Where requests go; pagerduty: the Events API base (default https://events.pagerduty.com). */
  url: string;
  headers: Record<string, string>;
  routingKey?: string;
  /** Event names; 'all' matches every event. */
  on: string[];
  every?: number; // ms
  throttle: number; // ms, 0 = none
  timeout: number; // ms per request
  retries: number;
  /** Longest queue; the oldest waiting message is dropped (and counted) beyond it. */
  queue: number;
}

/** A typed prompt of a runbook: a whole percent, one of a list, or one line of text. */
export interface RunbookParam {
  name: string;
  kind: 'pct' | 'choice' | 'text';
  /** choice: the values offered, in order. */
  choices?: string[];
  /** text: longest value accepted (characters). */
  maxLength?: number;
  /** What the prompt asks; the name when absent. */
  label?: string;
  /** text: filled into an argv element, so a leading `-`, `@` or `<` is refused (runbookParams.ts). */
  inArgv?: boolean;
}

/** SPEC §9.5: an operator action beyond the kill-switch, run through the same pipeline. */
export interface RunbookConfig {
  id: string;
  title: string;
  action: ActionConfig;
  params: RunbookParam[];
  /** Who may run it; absent: any console that may act at all. */
  roles?: string[];
  /** Shown on the confirm screen; default "run <title>?". */
  confirm?: string;
  /** A template uses {{reason}}: the flow asks for one. */
  usesReason: boolean;
  /** The argv uses {{reason}}: a typed reason is held to the text params' argv rule. */
  reasonInArgv?: boolean;
}

/** SPEC §9.4: warroom's own telemetry; absent parts are off (OTLP may still come from OTEL_* env). */
export interface TelemetryConfig {
  /** Base URL of an OTLP/HTTP collector (`/v1/traces` is added), and headers for it. */
  otlp?: { endpoint: string; headers: Record<string, string> };
  /** Where /metrics is served. */
  metricsListen?: { host: string; port: number };
}

export interface Config {
  version: 1;
  /** Absolute path of the file, and its folder (relative paths resolve against it). */
  file: string;
  baseDir: string;
  deployment: { name: string; environment: string };
  roles?: Record<string, string[]>;
  sources: Record<string, SourceConfig>;
  gates: GateConfig[];
  decision: DecisionConfig;
  ramp?: RampConfig;
  actions: { killSwitch?: ActionConfig; setInfluence?: ActionConfig; runbooks?: Record<string, RunbookConfig> };
  influence?: { source: string; metric?: string; query?: string; key?: string };
  audit: { dir: string };
  room: RoomConfig;
  /** SPEC §9.4; absent or empty: nothing leaves the terminal. */
  notify?: NotifySinkConfig[];
  telemetry?: TelemetryConfig;
  /** SPEC §9.5: waivers pending until approved. */
  waiver?: { approvals?: ApprovalRule };
  /** Values substituted from the environment: never printed, logged, recorded or shown. */
  secrets: string[];
  /** Each config string that took an environment value, and its masked form (see util/redactor). */
  secretMasks?: { value: string; masked: string }[];
  /** Variables whose value is too short to redact from free text: named in a startup warning. */
  shortSecretNames?: string[];
}

export interface ConfigProblem {
  /** YAML path like `gates[2].go` */
  path: string;
  line?: number;
  message: string;
}
