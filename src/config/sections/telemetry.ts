/** `telemetry:` (SPEC §9.4): OTLP traces and the /metrics listener. */
import { parseListen } from '../listen.js';
import { telemetrySchema } from '../schema.js';
import type { TelemetryConfig } from '../types.js';
import type { BuildContext } from './context.js';

export function buildTelemetry(ctx: BuildContext): TelemetryConfig | undefined {
  const raw = ctx.section('telemetry');
  if (raw === undefined) return undefined;
  const t = ctx.parseAt(telemetrySchema, raw, ['telemetry']);
  if (!t) return undefined;
  const telemetry: TelemetryConfig = {};
  if (t.otlp) telemetry.otlp = { endpoint: t.otlp.endpoint, headers: t.otlp.headers ?? {} };
  const listen = t.metrics_listen === undefined ? undefined : parseListen(t.metrics_listen);
  if (listen && !('error' in listen)) telemetry.metricsListen = listen;
  return telemetry;
}
