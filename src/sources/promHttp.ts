/**
 * GET one Prometheus HTTP API path (`/api/v1/query`, `/api/v1/query_range`, …) with node:http,
 * or POST it as a form (`form`: a batch of queries, promBatch.ts).
 * A `check` at 200 gates spent most of its time in got's per-request work and in zlib; this
 * client keeps connections alive (one agent per protocol, idle sockets never hold the process)
 * and does not ask for compression (Prometheus gzips when asked, even on loopback).
 * Same answer and failure shapes as `httpGet` (http.ts): an HttpGetResult for any HTTP status,
 * an HttpSourceError naming the request for connection, timeout, abort or oversized body; same
 * redirect policy (util/redirects.ts).
 * Each call adds one abort listener to `signal` while in flight: callers bound their concurrency
 * (`util/mapBounded.ts`) so no signal carries more than Node's warning limit of 10.
 */
import type { IncomingMessage } from 'node:http';
import type { Agent } from 'node:http';
import { http, https, zlib } from '../util/nodeBuiltins.js';
import { redirectTarget, refusedRedirectText, sameOrigin } from '../util/redirects.js';
import { displayUrl } from '../util/url.js';
import { abortText, DEFAULT_MAX_BYTES, describeRequestError, HttpSourceError, scrub, type HttpGetResult } from './http.js';

export interface PromGetOptions {
  headers?: Record<string, string>;
  params?: Record<string, string> | URLSearchParams;
  timeoutMs: number;
  signal?: AbortSignal;
  maxBytes?: number;
  /** Follow redirects to other origins too (configured headers are never sent there). */
  followRedirects?: boolean;
  /**
   * Sent as a form POST instead (a batched query too long for a URL); a redirect is then
   * returned as the answer, never followed.
   */
  form?: Record<string, string>;
}

/**
 * In flight per source read. CPU at 1,000 gates was flat from 4 to 16 here (BENCHMARKS.md, issue 23);
 * more than 10 in flight on one signal would print Node's MaxListenersExceededWarning.
 */
export const PROM_CONCURRENCY = 6;

// Idle sockets are unref'd by the agent (a finished `check` exits at once) and closed after 4 s.
const AGENT = { keepAlive: true, maxSockets: 16, timeout: 4000 };
const httpAgent = new http.Agent(AGENT);
let httpsAgent: Agent | undefined;

const MAX_REDIRECTS = 10;

/** `base` + `path` (base may carry a path prefix, e.g. behind a proxy) with `params`. */
export function promUrl(base: string, path: string, params?: Record<string, string> | URLSearchParams): string {
  const u = base.replace(/\/+$/, '') + path;
  const qs = params ? new URLSearchParams(params).toString() : '';
  return qs ? `${u}${u.includes('?') ? '&' : '?'}${qs}` : u;
}

export async function promGet(url: string, opts: PromGetOptions): Promise<HttpGetResult> {
  const full = opts.params ? promUrl(url, '', opts.params) : url;
  const body = opts.form ? formBody(opts.form) : undefined;
  const where = `${body === undefined ? 'GET' : 'POST'} ${displayUrl(url)}`;
  const headers = opts.headers ?? {};
  const fail = (why: string) => new HttpSourceError(scrub(`${where}: ${why}`, headers));
  if (opts.signal?.aborted) throw fail(abortText(opts.signal));
  const started = performance.now();
  const deadline = started + Math.max(1, opts.timeoutMs);
  let at = full;
  let sendHeaders: Record<string, string> = headers;
  for (let hop = 0; ; hop++) {
    let res: Answer;
    try {
      res = await oneGet(at, sendHeaders, deadline, opts.signal, opts.maxBytes ?? DEFAULT_MAX_BYTES, body);
    } catch (err) {
      throw fail(reasonOf(err, opts));
    }
    const target = isRedirect(res.status) ? redirectTarget({ url: at, headers: res.headers }) : undefined;
    const follow = target !== undefined && body === undefined && hop < MAX_REDIRECTS && (opts.followRedirects === true || sameOrigin(target, full));
    if (!follow) {
      const out: HttpGetResult = { ...res, elapsedMs: performance.now() - started };
      const refused = refusedRedirectText({ url: at, headers: res.headers, statusCode: res.status }, full);
      if (refused) out.refusedRedirect = refused;
      return out;
    }
    // Configured headers (tokens) never travel to another origin.
    if (!sameOrigin(target, full)) sendHeaders = {};
    at = target;
  }
}

type Answer = Omit<HttpGetResult, 'headers'> & { headers: Record<string, string | string[] | undefined> };

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

class Failure extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

function reasonOf(err: unknown, opts: PromGetOptions): string {
  if (err instanceof Failure && err.code === 'TOO_LARGE') return err.message;
  if (opts.signal?.aborted) return abortText(opts.signal);
  return describeRequestError(err, opts.timeoutMs);
}

/** One request; a reset on a reused keep-alive socket (the server closed it idle) is tried once more. */
async function oneGet(url: string, headers: Record<string, string>, deadline: number, signal: AbortSignal | undefined, maxBytes: number, body?: string): Promise<Answer> {
  try {
    return await send(url, headers, deadline, signal, maxBytes, body);
  } catch (err) {
    if ((err as { reused?: boolean }).reused && (err as { code?: string }).code === 'ECONNRESET') return send(url, headers, deadline, signal, maxBytes, body);
    throw err;
  }
}

function send(url: string, headers: Record<string, string>, deadline: number, signal: AbortSignal | undefined, maxBytes: number, body?: string): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return reject(new Failure(`invalid URL`));
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return reject(new Failure(`unsupported protocol ${u.protocol}`));
    const sent = Object.keys(headers).some((k) => k.toLowerCase() === 'accept') ? headers : { accept: 'application/json', ...headers };
    const secure = u.protocol === 'https:';
    const req = (secure ? https().request : http.request)(u, {
      method: body === undefined ? 'GET' : 'POST',
      agent: secure ? (httpsAgent ??= new (https().Agent)(AGENT)) : httpAgent,
      // No accept-encoding: Node's http does not add one, so Prometheus answers uncompressed.
      // User info in the URL becomes basic auth (node:http does that from a URL).
      headers: body === undefined ? sent : { ...sent, 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) },
    });
    let settled = false;
    const finish = (err: Error | undefined, value?: Answer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (err) {
        (err as { reused?: boolean }).reused = req.reusedSocket;
        req.destroy();
        reject(err);
      } else resolve(value!);
    };
    const onAbort = () => finish(new Failure('aborted', 'ABORT_ERR'));
    const timer = setTimeout(() => finish(new Failure('timed out', 'ETIMEDOUT')), Math.max(1, deadline - performance.now()));
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (e) => finish(e));
    req.on('response', (res) => readBody(res, maxBytes).then((body) => finish(undefined, answerOf(res, body)), (e: Error) => finish(e)));
    req.end(body);
  });
}

/**
 * application/x-www-form-urlencoded by the engine's encodeURIComponent: URLSearchParams encodes
 * in JavaScript, 10x slower on a cold start (a 1,000-gate batch body is ~220 KB). Spaces become
 * %20 rather than +, which a form decoder reads the same. A lone surrogate (never in a config
 * read as UTF-8) makes encodeURIComponent throw; URLSearchParams then replaces it as before.
 */
export function formBody(form: Record<string, string>): string {
  try {
    return Object.entries(form)
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
      .join('&');
  } catch {
    return new URLSearchParams(form).toString();
  }
}

function answerOf(res: IncomingMessage, body: string): Answer {
  return { status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', body, contentType: String(res.headers['content-type'] ?? ''), headers: res.headers };
}

function readBody(res: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const enc = String(res.headers['content-encoding'] ?? '').toLowerCase();
    // Only a proxy that compresses unasked gets here; Prometheus does not.
    const decoder = enc === 'gzip' || enc === 'x-gzip' ? zlib().createGunzip() : enc === 'deflate' ? zlib().createInflate() : enc === 'br' ? zlib().createBrotliDecompress() : undefined;
    const stream = decoder ? res.pipe(decoder) : res;
    if (decoder) res.on('error', (e) => decoder.destroy(e));
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBytes) {
        res.destroy();
        decoder?.destroy();
        reject(new Failure(`response larger than ${Math.round(maxBytes / 1024 / 1024)} MiB`, 'TOO_LARGE'));
        return;
      }
      chunks.push(c);
    });
    stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stream.on('error', reject);
    // A connection cut mid-body; a reject after the end is a no-op.
    res.on('close', () => {
      if (!res.complete) reject(new Failure('connection reset by peer', 'ECONNRESET'));
    });
  });
}
