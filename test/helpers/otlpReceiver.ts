/**
 * An OTLP/HTTP trace receiver for tests: a real node:http server taking POST /v1/traces as the
 * JS exporter sends it (JSON, `{resourceSpans:[{resource,scopeSpans:[{spans:[…]}]}]}`; protobuf
 * is refused with 415 so a change of encoding fails loudly), and `spanTree()` to print what arrived.
 */
import { createServer, type Server } from 'node:http';

export type OtlpValue = { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean; arrayValue?: { values: OtlpValue[] } };
export interface OtlpAttr {
  key: string;
  value: OtlpValue;
}
export interface OtlpEvent {
  name: string;
  timeUnixNano: string;
  attributes?: OtlpAttr[];
}
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes?: OtlpAttr[];
  events?: OtlpEvent[];
  status?: { code?: number; message?: string };
}
export interface ReceivedSpan {
  span: OtlpSpan;
  resource: Record<string, unknown>;
  attrs: Record<string, unknown>;
  events: { name: string; at: number; attrs: Record<string, unknown> }[];
}

export function value(v: OtlpValue): unknown {
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.arrayValue) return v.arrayValue.values.map(value);
  return undefined;
}
export const attrs = (list: OtlpAttr[] | undefined): Record<string, unknown> => Object.fromEntries((list ?? []).map((a) => [a.key, value(a.value)]));

export interface OtlpReceiver {
  /** http://127.0.0.1:PORT (the OTLP base URL; the exporter posts to /v1/traces). */
  url: string;
  spans(): ReceivedSpan[];
  /** Requests seen: content types and headers, for asserting what the exporter sent. */
  requests(): { contentType: string; headers: Record<string, string | string[] | undefined> }[];
  /** Answer every export with this status from now on (e.g. 503 for a failing collector). */
  failWith(status: number | undefined): void;
  close(): Promise<void>;
}

/** Normalizes ids: JSON OTLP from the JS exporter is hex; base64 is accepted too. */
function hexId(id: string | undefined): string | undefined {
  if (!id) return undefined;
  return /^[0-9a-f]+$/i.test(id) ? id.toLowerCase() : Buffer.from(id, 'base64').toString('hex');
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const got: ReceivedSpan[] = [];
  const reqs: { contentType: string; headers: Record<string, string | string[] | undefined> }[] = [];
  let fail: number | undefined;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const contentType = String(req.headers['content-type'] ?? '');
      reqs.push({ contentType, headers: req.headers });
      if (req.method !== 'POST' || req.url !== '/v1/traces') return void res.writeHead(404).end();
      if (fail !== undefined) return void res.writeHead(fail).end();
      if (!contentType.startsWith('application/json')) return void res.writeHead(415).end('JSON only');
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        resourceSpans: { resource?: { attributes?: OtlpAttr[] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
      };
      for (const rs of body.resourceSpans ?? []) {
        const resource = attrs(rs.resource?.attributes);
        for (const ss of rs.scopeSpans ?? []) {
          for (const span of ss.spans ?? []) {
            const s = { ...span, spanId: hexId(span.spanId)!, traceId: hexId(span.traceId)!, ...(span.parentSpanId ? { parentSpanId: hexId(span.parentSpanId)! } : {}) };
            got.push({
              span: s,
              resource,
              attrs: attrs(span.attributes),
              events: (span.events ?? []).map((e) => ({ name: e.name, at: Number(BigInt(e.timeUnixNano) / 1_000_000n), attrs: attrs(e.attributes) })),
            });
          }
        }
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    spans: () => got.slice(),
    requests: () => reqs.slice(),
    failWith: (s) => {
      fail = s;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const SHOWN_EVENT_ATTRS = /^(warroom\.gate\.(id|from|to|value|threshold)|warroom\.action\.(name|step|from_pct|to_pct|idempotency_key)|deployment\.gate\.(decision|actor|role|criteria_hash))$/;

/** The spans as an indented tree (children under their parent, by start time), events listed under each. */
export function spanTree(spans: ReceivedSpan[]): string {
  const byParent = new Map<string | undefined, ReceivedSpan[]>();
  const ids = new Set(spans.map((s) => s.span.spanId));
  for (const s of spans) {
    const parent = s.span.parentSpanId && ids.has(s.span.parentSpanId) ? s.span.parentSpanId : undefined;
    byParent.set(parent, [...(byParent.get(parent) ?? []), s]);
  }
  const start = (s: ReceivedSpan) => BigInt(s.span.startTimeUnixNano);
  const t0 = spans.length ? spans.map(start).reduce((a, b) => (a < b ? a : b)) : 0n;
  const rel = (ns: bigint) => `+${(Number(ns - t0) / 1e9).toFixed(1)}s`;
  const out: string[] = [];
  const walk = (parent: string | undefined, depth: number) => {
    const kids = (byParent.get(parent) ?? []).sort((a, b) => (start(a) < start(b) ? -1 : 1));
    for (const s of kids) {
      const pad = '  '.repeat(depth);
      const keyAttrs = Object.entries(s.attrs)
        .filter(([k]) => /^(cicd\.|deployment\.)/.test(k))
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(' ');
      out.push(`${pad}${s.span.name}  [${rel(start(s))} → ${rel(BigInt(s.span.endTimeUnixNano))}] span=${s.span.spanId}${s.span.parentSpanId ? ` parent=${s.span.parentSpanId}` : ''}`);
      if (keyAttrs) out.push(`${pad}  ${keyAttrs}`);
      for (const e of s.events) {
        const a = Object.entries(e.attrs)
          .filter(([k]) => SHOWN_EVENT_ATTRS.test(k))
          .map(([k, v]) => `${k.replace(/^(warroom|deployment)\.(gate|action)\./, '')}=${String(v)}`)
          .join(' ');
        out.push(`${pad}  • ${e.name} ${a}`);
      }
      walk(s.span.spanId, depth + 1);
    }
  };
  walk(undefined, 0);
  return out.join('\n');
}
