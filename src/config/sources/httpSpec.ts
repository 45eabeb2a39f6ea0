/** What an http gate asks (a leaf: the gate type and the http source module both name it). */

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Which part of an HTTP answer is a gate's value. */
export type HttpValueSpec =
  | { kind: 'status' }
  | { kind: 'json_path'; path: string }
  | { kind: 'header'; name: string; match?: string }
  | { kind: 'latency' };

/** One gate's request on an http source, with its url already joined to the source's. */
export interface HttpProbeSpec {
  url: string;
  method: HttpMethod;
  /** The gate's own headers; the source's are added by the adapter, for the source's origin only. */
  headers: Record<string, string>;
  /** Raw body text, or a JSON document (sent as application/json). */
  body?: string;
  jsonBody?: unknown;
  /** ms; at most the source's timeout, which bounds the whole read. */
  timeout?: number;
  value: HttpValueSpec;
}
