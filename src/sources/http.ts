/**
 * One bounded request (a GET, or an http gate's own method) for the HTTP sources. The poller does the scheduling, so got never retries;
 * every failure becomes one line a human can act on, never containing header values (they
 * may hold tokens) nor the URL's credentials or query string.
 */
import { loadGot } from '../util/lazyGot.js';
import { oneLine } from '../util/sanitize.js';
import { redact } from '../util/redact.js';
import { redirectOptions, refusedRedirectText } from '../util/redirects.js';
import { displayUrl } from '../util/url.js';

export interface HttpGetOptions {
  headers?: Record<string, string>;
  /** URLSearchParams for repeated keys (Alertmanager's `filter=a&filter=b`). */
  searchParams?: Record<string, string> | URLSearchParams;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Bodies larger than this are refused (a broken endpoint must not exhaust memory). */
  maxBytes?: number;
  /** Follow redirects to other origins too (never with `headers`). Default: same origin only. */
  followRedirects?: boolean;
}

export interface HttpRequestOptions extends HttpGetOptions {
  method?: string;
  body?: string;
}

export interface HttpGetResult {
  status: number;
  statusText: string;
  body: string;
  contentType: string;
  /** Set when the answer is a redirect to another origin that was not followed. */
  refusedRedirect?: string;
  /** Response headers, names lower-cased (set by httpRequest; optional for hand-made answers). */
  headers?: Record<string, string | string[] | undefined>;
  /** Wall time from sending the request to the end of the answer, redirects included, ms. */
  elapsedMs?: number;
}

/** A failure of the endpoint itself (connection, timeout, abort, oversized body). */
export class HttpSourceError extends Error {
  override name = 'HttpSourceError';
}

export const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

export function httpGet(url: string, opts: HttpGetOptions): Promise<HttpGetResult> {
  return httpRequest(url, opts);
}

export async function httpRequest(url: string, opts: HttpRequestOptions): Promise<HttpGetResult> {
  const got = await loadGot();
  const method = (opts.method ?? 'GET').toUpperCase();
  const where = `${method} ${displayUrl(url)}`;
  const headers = opts.headers ?? {};
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  if (opts.signal?.aborted) throw new HttpSourceError(`${where}: ${abortText(opts.signal)}`);
  let tooLarge = false;
  try {
    const started = performance.now();
    const req = got(url, {
      method: method as 'GET',
      ...(opts.body !== undefined ? { body: opts.body } : {}),
      headers,
      searchParams: opts.searchParams,
      timeout: { request: Math.max(1, opts.timeoutMs) },
      retry: { limit: 0 },
      throwHttpErrors: false,
      responseType: 'text',
      signal: opts.signal,
      ...redirectOptions(url, headers, opts.followRedirects ?? false),
    });
    req.on('downloadProgress', (p: { transferred: number }) => {
      if (p.transferred > maxBytes) {
        tooLarge = true;
        req.cancel();
      }
    });
    const res = await req;
    const out: HttpGetResult = {
      status: res.statusCode,
      statusText: res.statusMessage ?? '',
      body: res.body,
      contentType: String(res.headers['content-type'] ?? ''),
      headers: res.headers,
      elapsedMs: performance.now() - started,
    };
    const refused = refusedRedirectText(res, url);
    if (refused) out.refusedRedirect = refused;
    return out;
  } catch (err) {
    let why: string;
    if (tooLarge) why = `response larger than ${Math.round(maxBytes / 1024 / 1024)} MiB`;
    else if (opts.signal?.aborted) why = abortText(opts.signal);
    else why = describeRequestError(err, opts.timeoutMs);
    throw new HttpSourceError(scrub(`${where}: ${why}`, headers));
  }
}

/** `HTTP 503 Service Unavailable` plus the start of the body, on one line. */
export function statusText(res: HttpGetResult, bodyChars = 200): string {
  if (res.refusedRedirect) return `HTTP ${res.status}: ${res.refusedRedirect}`;
  const reason = res.statusText || '';
  const body = oneLine(res.body ?? '', bodyChars);
  return `HTTP ${res.status}${reason ? ' ' + oneLine(reason, 60) : ''}${body ? `: ${body}` : ''}`;
}

export function describeRequestError(err: unknown, timeoutMs: number): string {
  // got's RequestError carries `code` like any Node error (got itself is loaded lazily).
  const code = (err as { code?: string } | null)?.code;
  switch (code) {
    case 'ETIMEDOUT':
      return `timed out after ${formatSeconds(timeoutMs)}`;
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return 'connection reset by peer';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    case 'EPROTO':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'CERT_HAS_EXPIRED':
      return `TLS error (${code}): ${oneLine(errMessage(err), 200)}`;
  }
  return oneLine(errMessage(err), 300) || 'request failed';
}

export function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

export function abortText(signal: AbortSignal): string {
  const r: unknown = signal.reason;
  const msg = r instanceof Error ? r.message : typeof r === 'string' ? r : '';
  return msg ? `aborted (${oneLine(msg, 100)})` : 'aborted';
}

function errMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A request that got no answer, as text: the client's own message, else `where: what` with header values scrubbed. */
export function requestFailure(err: unknown, where: string, headers: Record<string, string> = {}): string {
  return err instanceof HttpSourceError ? err.message : scrub(`${where}: ${oneLine(String(err))}`, headers);
}

/** Header values (and the token part of `Bearer x`) never reach a message. */
export function scrub(text: string, headers: Record<string, string>): string {
  const secrets: string[] = [];
  for (const v of Object.values(headers)) {
    const val = String(v);
    if (val.length >= 6) secrets.push(val);
    const last = val.trim().split(/\s+/).pop() ?? '';
    if (last.length >= 6 && last !== val) secrets.push(last);
  }
  return redact(text, secrets);
}
