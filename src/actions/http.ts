/** One HTTP delivery attempt. Retries are the executor's job (one idempotency key across them). */
import type { Got, Method } from 'got';
import { gotIfLoaded, loadGot } from '../util/lazyGot.js';
import type { ClientRequest } from 'node:http';
import type { HttpActionConfig } from '../config/types.js';
import type { AttemptResult, Scrub } from './attempt.js';
import { displayUrl, showDuration } from './scrub.js';
import { redirectOptions, refusedRedirectText } from '../util/redirects.js';

const BODY_SHOWN = 200;
const BODY_READ = 8192;

function describeError(e: unknown, cfg: HttpActionConfig, target: string, scrub: Scrub): string {
  const err = e as { code?: string; name?: string; message?: string };
  switch (err?.code) {
    case 'ETIMEDOUT':
      return `timed out after ${showDuration(cfg.timeout)} waiting for ${target}`;
    case 'ECONNREFUSED':
      return `connection refused: ${target}`;
    case 'ECONNRESET':
    case 'EPIPE':
      return `connection reset by the server: ${target}`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host not found: ${target}`;
  }
  if (err?.name === 'TimeoutError') return `timed out after ${showDuration(cfg.timeout)} waiting for ${target}`;
  return `${target} failed: ${scrub(err?.message ?? String(e), 300)}`;
}

/**
 * Sends the request synchronously once got is loaded (the console loads it at startup; only a
 * request made before that waits for the load), calls
 * `onSent` once the request has been written to a connected socket, and resolves with the
 * outcome; it never rejects.
 */
export function httpAttempt(
  cfg: HttpActionConfig,
  body: unknown,
  idempotencyKey: string,
  scrub: Scrub,
  signal: AbortSignal,
  onSent: () => void,
): Promise<AttemptResult> {
  const args = [cfg, body, idempotencyKey, scrub, signal, onSent] as const;
  const got = gotIfLoaded();
  if (got) return sendWith(got, ...args);
  return loadGot().then(
    (g) => sendWith(g, ...args),
    (e: unknown): AttemptResult => ({ ok: false, sent: false, error: `cannot load the HTTP client: ${scrub(e instanceof Error ? e.message : String(e), 300)}` }),
  );
}

function sendWith(got: Got, ...[cfg, body, idempotencyKey, scrub, signal, onSent]: Parameters<typeof httpAttempt>): Promise<AttemptResult> {
  const method = cfg.method.toUpperCase();
  const target = scrub(`${method} ${displayUrl(cfg.url)}`);
  let sent = false;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(cfg.headers ?? {})) {
    if (k.toLowerCase() !== 'idempotency-key') headers[k] = String(v);
  }
  headers['Idempotency-Key'] = idempotencyKey;

  let request;
  try {
    request = got(cfg.url, {
      method: method as Method,
      headers,
      ...(body === undefined ? {} : { json: body }),
      retry: { limit: 0 },
      throwHttpErrors: false,
      ...redirectOptions(cfg.url, cfg.headers ?? {}, cfg.followRedirects ?? false),
      timeout: { request: cfg.timeout },
      responseType: 'text',
      signal,
    });
  } catch (e) {
    return Promise.resolve({ ok: false, sent, error: describeError(e, cfg, target, scrub) });
  }
  request.on('request', (req: ClientRequest) => {
    req.once('finish', () => {
      sent = true;
      onSent();
    });
  });

  return request.then(
    (res): AttemptResult => {
      const status = res.statusCode;
      const refused = refusedRedirectText(res, cfg.url);
      if (refused) return { ok: false, sent: true, status, error: `HTTP ${status} from ${target}: ${refused}` };
      const text = scrub(String(res.body ?? '').slice(0, BODY_READ), BODY_SHOWN);
      if (status >= 200 && status < 300) {
        return { ok: true, sent: true, status, detail: `HTTP ${status} from ${target}${text ? `: ${text}` : ''}` };
      }
      return { ok: false, sent: true, status, error: `HTTP ${status} from ${target}${text ? `: ${text}` : ''}` };
    },
    (e: unknown): AttemptResult => {
      if (signal.aborted) return { ok: false, sent, cancelled: true, error: 'cancelled' };
      return { ok: false, sent, error: describeError(e, cfg, target, scrub) };
    },
  );
}
