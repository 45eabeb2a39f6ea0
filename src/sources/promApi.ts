/** The checks every Prometheus HTTP API answer gets, instant query or range alike. */
import { statusText, type HttpGetResult } from './http.js';

export interface ApiBody {
  status?: unknown;
  errorType?: unknown;
  error?: unknown;
  data?: { resultType?: unknown; result?: unknown };
}

/**
 * The body of a successful answer; else the query's own error (`probe`: that gate alone) or the
 * server's (`source`: every probe of the source), as text for the caller to frame.
 */
export function checkApiAnswer(res: HttpGetResult): { body: ApiBody } | { probe: string } | { source: string } {
  let body: ApiBody | undefined;
  try {
    const parsed: unknown = JSON.parse(res.body);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as ApiBody;
  } catch {
    body = undefined;
  }
  // 400 bad_data (PromQL syntax) and 422 execution errors belong to the query, not the server.
  if ((res.status === 400 || res.status === 422) && body?.status === 'error') {
    const type = typeof body.errorType === 'string' ? body.errorType : 'error';
    const msg = typeof body.error === 'string' ? body.error : 'query rejected';
    return { probe: type === 'bad_data' ? `PromQL error: ${msg}` : `query failed (${type}): ${msg}` };
  }
  if (res.status < 200 || res.status > 299) {
    const detail = body && typeof body.error === 'string' ? { ...res, body: body.error } : res;
    return { source: statusText(detail) };
  }
  if (!body || (body.status !== 'success' && body.status !== 'error')) return { source: 'not a Prometheus API response (check the url)' };
  if (body.status === 'error') return { probe: `query failed: ${typeof body.error === 'string' ? body.error : 'unknown error'}` };
  return { body };
}
