/**
 * Applies the span model's operations (spans.ts) to the OpenTelemetry JS SDK and exports them
 * over OTLP/HTTP (JSON). The SDK is loaded by dynamic import, only when tracing is configured,
 * so a console without it pays nothing at startup.
 *
 * Configured by `telemetry.otlp.endpoint` (the collector's base URL; `/v1/traces` is added) or,
 * as the SDK reads them, OTEL_EXPORTER_OTLP_ENDPOINT / OTEL_EXPORTER_OTLP_TRACES_ENDPOINT and
 * OTEL_EXPORTER_OTLP_HEADERS; a configured endpoint wins over the environment, as code-given
 * options do in the SDK. OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES override the resource
 * (service.name defaults to `warroom`). OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none
 * turn tracing off.
 */
import type { Span } from '@opentelemetry/api';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { TelemetryConfig } from '../config/types.js';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from './semconv.js';
import type { SpanOp } from './spans.js';

type Env = Record<string, string | undefined>;

/** Where traces go, or undefined when tracing is off. The URL is for messages only (origin). */
export function otlpTarget(telemetry: TelemetryConfig | undefined, env: Env): { url?: string; shown: string } | undefined {
  if ((env.OTEL_SDK_DISABLED ?? '').trim().toLowerCase() === 'true') return undefined;
  if ((env.OTEL_TRACES_EXPORTER ?? '').trim().toLowerCase() === 'none') return undefined;
  if (telemetry?.otlp) return { url: `${telemetry.otlp.endpoint.replace(/\/+$/, '')}/v1/traces`, shown: origin(telemetry.otlp.endpoint) };
  const fromEnv = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  return fromEnv ? { shown: origin(fromEnv) } : undefined;
}

/** Scheme, host and port only: a collector URL may carry credentials or tokens. */
function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the configured collector';
  }
}

export interface TraceSink {
  apply(ops: SpanOp[]): void;
  /** Exports what is left, bounded by `timeoutMs`; resolves with the error if that failed. */
  shutdown(timeoutMs: number): Promise<string | undefined>;
}

export interface OtlpOptions {
  telemetry: TelemetryConfig | undefined;
  version: string;
  /** Every export failure (the caller decides what to show). */
  onExportError(message: string): void;
}

const SUCCESS = 0; // ExportResultCode.SUCCESS of @opentelemetry/core

export async function startOtlp(opts: OtlpOptions): Promise<TraceSink> {
  const [api, base, resources, http] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/exporter-trace-otlp-http'),
  ]);
  const otlp = opts.telemetry?.otlp;
  const inner = new http.OTLPTraceExporter({
    ...(otlp ? { url: `${otlp.endpoint.replace(/\/+$/, '')}/v1/traces`, headers: otlp.headers } : {}),
    // One attempt's wait; quitting waits at most the caller's bound anyway.
    timeoutMillis: 2000,
  });
  let lastError: string | undefined;
  // Failures are told to the console; the SDK's own diag logger stays silent (it would write into the TUI).
  const exporter: SpanExporter = {
    export(spans: ReadableSpan[], done) {
      inner.export(spans, (r) => {
        if (r.code !== SUCCESS) {
          lastError = r.error?.message ?? 'export failed';
          opts.onExportError(lastError);
        } else lastError = undefined;
        done(r);
      });
    },
    shutdown: () => inner.shutdown(),
    forceFlush: () => inner.forceFlush(),
  };
  const resource = resources
    .defaultResource()
    .merge(resources.resourceFromAttributes({ [ATTR_SERVICE_NAME]: 'warroom', [ATTR_SERVICE_VERSION]: opts.version }))
    .merge(resources.detectResources({ detectors: [resources.envDetector] }));
  const provider = new base.BasicTracerProvider({
    resource,
    spanProcessors: [new base.BatchSpanProcessor(exporter, { scheduledDelayMillis: 1000, exportTimeoutMillis: 2000 })],
  });
  const tracer = provider.getTracer('warroom', opts.version);
  const spans = new Map<string, Span>();

  const apply = (ops: SpanOp[]) => {
    for (const op of ops) {
      if (op.op === 'start') {
        const parent = op.parent ? spans.get(op.parent) : undefined;
        const ctx = parent ? api.trace.setSpan(api.ROOT_CONTEXT, parent) : api.ROOT_CONTEXT;
        const kind = op.kind === 'server' ? api.SpanKind.SERVER : api.SpanKind.INTERNAL;
        spans.set(op.key, tracer.startSpan(op.name, { kind, startTime: op.at, attributes: op.attributes, root: !parent }, ctx));
      } else if (op.op === 'event') {
        spans.get(op.key)?.addEvent(op.name, op.attributes, op.at);
      } else {
        const span = spans.get(op.key);
        if (!span) continue;
        span.setAttributes(op.attributes);
        if (op.status !== 'unset') span.setStatus({ code: op.status === 'ok' ? api.SpanStatusCode.OK : api.SpanStatusCode.ERROR, ...(op.message ? { message: op.message } : {}) });
        span.end(op.at);
        spans.delete(op.key);
      }
    }
  };

  const shutdown = async (timeoutMs: number): Promise<string | undefined> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`no answer from the collector within ${timeoutMs} ms`), timeoutMs);
      timer.unref();
    });
    const done = provider.shutdown().then(
      () => lastError,
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    );
    try {
      return await Promise.race([done, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  };
  return { apply, shutdown };
}
