/**
 * The HTTP half of a sink: one JSON POST through got (loaded lazily), no retries of its own
 * (the queue retries), redirects followed within the sink's origin only (SPEC §9.2: another
 * origin would get the message and the configured headers). Errors come back in words that
 * never contain the URL: a Slack or Teams webhook's path is its credential. Only the first
 * few KiB of any answer are read, the rest aborted: a receiver answering hundreds of MiB must
 * not cost the console its memory.
 */
import type { Got, PlainResponse } from 'got';
import { loadGot } from '../util/lazyGot.js';
import { redirectOptions, refusedRedirectText } from '../util/redirects.js';
import { oneLine } from '../util/sanitize.js';
import { scrubUrl } from '../util/url.js';
import type { NotifyRequest } from './payloads/request.js';
import type { SendResult, Sender } from './queue.js';

function retryAfter(h: string | string[] | undefined): number | undefined {
  const v = Array.isArray(h) ? h[0] : h;
  if (!v) return undefined;
  const s = Number(v);
  if (Number.isFinite(s) && s >= 0) return s * 1000;
  const t = Date.parse(v);
  return Number.isFinite(t) ? Math.max(0, t - Date.now()) : undefined;
}

const CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
};

/** What is read of a receiver's answer; the error line shows 120 characters of it. */
export const MAX_ANSWER_BYTES = 4096;

type Answer = Pick<PlainResponse, 'statusCode' | 'headers' | 'url'> & { body: string };

/** POSTs `json` and reads at most `cap` bytes of the answer, then drops the connection. */
function postCapped(got: Got, req: NotifyRequest, signal: AbortSignal, cap: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const stream = got.stream.post(req.url, {
      json: req.body,
      headers: { 'user-agent': 'warroom-notify', ...req.headers },
      throwHttpErrors: false,
      retry: { limit: 0 },
      ...redirectOptions(req.url, req.headers, false),
      signal,
    });
    let res: PlainResponse | undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const done = () => {
      if (settled || !res) return;
      settled = true;
      resolve({ statusCode: res.statusCode, headers: res.headers, url: res.url, body: Buffer.concat(chunks).subarray(0, cap).toString('utf8') });
    };
    stream.on('response', (r: PlainResponse) => (res = r));
    stream.on('data', (c: Buffer) => {
      if (settled) return;
      chunks.push(c);
      size += c.length;
      if (size >= cap) {
        done();
        stream.destroy();
      }
    });
    stream.on('end', done);
    stream.on('error', (err) => {
      if (!settled) {
        settled = true;
        reject(err);
      }
    });
  });
}

/** A sender for this process: `redact` applies the config's secrets on top of the URL scrub. */
export function httpSender(redact: (s: string) => string = (s) => s): Sender {
  return async (req: NotifyRequest, signal: AbortSignal): Promise<SendResult> => {
    const clean = (s: string) => redact(scrubUrl(oneLine(s, 300), req.url));
    try {
      const got = await loadGot();
      const res = await postCapped(got, req, signal, MAX_ANSWER_BYTES);
      const status = res.statusCode;
      if (status >= 200 && status < 300) return { ok: true, status };
      const body = typeof res.body === 'string' && res.body.trim() ? `: ${res.body.trim().slice(0, 120)}` : '';
      if (status >= 300 && status < 400) return { ok: false, error: clean(`HTTP ${status}: ${refusedRedirectText(res, req.url, 'final_url') ?? 'redirect not followed'}`), retryable: false };
      const ra = retryAfter(res.headers['retry-after']);
      const retryable = status === 408 || status === 429 || status >= 500;
      return { ok: false, error: clean(`HTTP ${status}${body}`), retryable, ...(ra !== undefined ? { retryAfterMs: ra } : {}) };
    } catch (e) {
      const err = e as NodeJS.ErrnoException & { name?: string };
      if (signal.aborted) return { ok: false, error: 'aborted (timeout)', retryable: true };
      const code = err.code && CODES[err.code] ? `${CODES[err.code]} (${err.code})` : err.code ?? err.message ?? String(e);
      return { ok: false, error: clean(String(code)), retryable: true };
    }
  };
}
