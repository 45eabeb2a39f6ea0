/**
 * Pure: an HTTP answer → an http gate's value (status code, JSONPath, header, latency).
 * Every way the answer can fail to give a value is an error in words; none gives a value
 * that could pass by accident.
 */
import type { HttpValueSpec } from '../config/types.js';
import type { Value } from '../core/types.js';
import { oneLine } from '../util/sanitize.js';
import { statusText, type HttpGetResult } from './http.js';
import { extractJsonPath } from './jsonPath.js';

export type ValueOutcome = { ok: true; value: Value; warning?: string } | { ok: false; error: string };

const is2xx = (status: number) => status >= 200 && status <= 299;

export function httpValue(res: HttpGetResult, spec: HttpValueSpec): ValueOutcome {
  switch (spec.kind) {
    case 'status':
      // The 3xx itself is the value (a gate may expect it); the refusal is said beside it.
      return res.refusedRedirect ? { ok: true, value: res.status, warning: res.refusedRedirect } : { ok: true, value: res.status };
    case 'latency':
      // A fast error page is not a healthy latency.
      if (!is2xx(res.status)) return { ok: false, error: `latency not measured: ${statusText(res)}` };
      if (res.elapsedMs === undefined || !Number.isFinite(res.elapsedMs)) return { ok: false, error: 'latency not measured' };
      return { ok: true, value: Math.max(0, res.elapsedMs) / 1000 };
    case 'json_path': {
      if (!is2xx(res.status)) return { ok: false, error: statusText(res) };
      let doc: unknown;
      try {
        doc = JSON.parse(res.body);
      } catch {
        const type = res.contentType ? ` (content-type ${oneLine(res.contentType, 60)})` : '';
        const start = oneLine(res.body, 80);
        return { ok: false, error: `answer is not JSON${type}${start ? `: ${start}` : ': empty body'}` };
      }
      const out = extractJsonPath(doc, spec.path);
      return out.ok ? { ok: true, value: out.value } : out;
    }
    case 'header': {
      if (res.refusedRedirect) return { ok: false, error: statusText(res) };
      const raw = res.headers?.[spec.name];
      if (raw === undefined) return { ok: false, error: `header ${spec.name} missing from the answer (HTTP ${res.status})` };
      const text = Array.isArray(raw) ? raw.join(', ') : String(raw);
      if (spec.match === undefined) return { ok: true, value: text };
      return matchHeader(spec.name, text, spec.match);
    }
  }
}

/** `header_match`: the first capture group of `pattern` in the header value, as a number. */
export function matchHeader(name: string, text: string, pattern: string): ValueOutcome {
  const m = new RegExp(pattern).exec(text);
  if (!m) return { ok: false, error: `header ${name} "${oneLine(text, 80)}" does not match ${pattern}` };
  const captured = m[1];
  if (captured === undefined) return { ok: false, error: `header ${name}: the capture group of ${pattern} matched nothing in "${oneLine(text, 80)}"` };
  const t = captured.trim();
  const n = t === '' ? NaN : Number(t);
  if (!Number.isFinite(n)) return { ok: false, error: `header ${name}: ${pattern} captured "${oneLine(captured, 40)}", not a number` };
  return { ok: true, value: n };
}
