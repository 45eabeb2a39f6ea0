/** The pure parts of the http source: JSONPath extraction, header_match, answer → value, header routing. */
import { describe, expect, it } from 'vitest';
import type { HttpGetResult } from '../../src/sources/http.js';
import { requestHeaders } from '../../src/sources/httpCheck.js';
import { httpValue, matchHeader } from '../../src/sources/httpValue.js';
import { checkJsonPathSyntax, extractJsonPath } from '../../src/sources/jsonPath.js';

const DOC = { outbox: { enabled: true }, n: 0, name: 'v42', nil: null, list: [1, 2], checks: [{ name: 'db', ok: true }, { name: 'queue', ok: false }] };

describe('extractJsonPath', () => {
  it('one scalar match is the value, whatever its type', () => {
    expect(extractJsonPath(DOC, '$.outbox.enabled')).toEqual({ ok: true, value: true });
    expect(extractJsonPath(DOC, '$.n')).toEqual({ ok: true, value: 0 });
    expect(extractJsonPath(DOC, '$.name')).toEqual({ ok: true, value: 'v42' });
    expect(extractJsonPath(DOC, "$.checks[?(@.name === 'queue')].ok")).toEqual({ ok: true, value: false });
    expect(extractJsonPath(7, '$')).toEqual({ ok: true, value: 7 });
  });

  it('no match, several matches, null, objects and lists are errors in words', () => {
    expect(extractJsonPath(DOC, '$.inbox')).toEqual({ ok: false, error: 'json_path $.inbox matches nothing in the answer' });
    expect(extractJsonPath(DOC, '$.checks[*].ok')).toEqual({ ok: false, error: 'json_path $.checks[*].ok matches 2 values (true, false); narrow it to one' });
    expect(extractJsonPath(DOC, '$..*')).toMatchObject({ ok: false, error: expect.stringMatching(/matches \d+ values \(.*, …\)/) });
    expect(extractJsonPath(DOC, '$.nil')).toEqual({ ok: false, error: 'json_path $.nil is null' });
    expect(extractJsonPath(DOC, '$.outbox')).toMatchObject({ ok: false, error: expect.stringMatching(/is an object \(\{"enabled":true\}\), not a value/) });
    expect(extractJsonPath(DOC, '$.list')).toMatchObject({ ok: false, error: expect.stringMatching(/is a list/) });
  });

  it('the safe evaluator runs filters but not code: process is not reachable', () => {
    const out = extractJsonPath(DOC, '$.checks[?(process.exit(3))]');
    expect(out.ok).toBe(false);
    expect(!out.ok && out.error).toMatch(/json_path .*process is not defined/);
  });
});

describe('checkJsonPathSyntax', () => {
  it('accepts paths from the root with closed brackets and quotes', () => {
    for (const p of ['$', '$.a.b', '$.a[0]', "$['a b']", '$.checks[?(@.name == "]")].ok', '$..x']) expect(checkJsonPathSyntax(p), p).toBeUndefined();
  });
  it('rejects what jsonpath-plus would silently accept', () => {
    expect(checkJsonPathSyntax('a.b')).toMatch(/starts at the root/);
    expect(checkJsonPathSyntax('$[')).toMatch(/unclosed "\["/);
    expect(checkJsonPathSyntax('$.a)')).toMatch(/unbalanced "\)"/);
    expect(checkJsonPathSyntax("$['a")).toMatch(/unclosed ' quote/);
    expect(checkJsonPathSyntax('$.a[?(@.b]')).toMatch(/unbalanced "\]"/);
  });
});

describe('matchHeader', () => {
  it('the first capture group, as a number', () => {
    expect(matchHeader('hsts', 'max-age=31536000; includeSubDomains', 'max-age=(\\d+)')).toEqual({ ok: true, value: 31536000 });
    expect(matchHeader('cc', 'public, max-age=60, s-maxage=600', 's-maxage=(\\d+)')).toEqual({ ok: true, value: 600 });
    expect(matchHeader('x', 'v=1.5', 'v=([\\d.]+)')).toEqual({ ok: true, value: 1.5 });
  });
  it('no match, an empty or optional group, or a capture that is not a number: errors', () => {
    expect(matchHeader('hsts', 'includeSubDomains', 'max-age=(\\d+)')).toEqual({ ok: false, error: 'header hsts "includeSubDomains" does not match max-age=(\\d+)' });
    expect(matchHeader('x', 'max-age=', 'max-age=(\\d*)')).toMatchObject({ ok: false, error: expect.stringMatching(/captured "", not a number/) });
    expect(matchHeader('x', 'a', 'a(b)?')).toMatchObject({ ok: false, error: expect.stringMatching(/capture group .* matched nothing/) });
    expect(matchHeader('x', 'v=abc', 'v=(\\w+)')).toMatchObject({ ok: false, error: expect.stringMatching(/captured "abc", not a number/) });
  });
});

const answer = (over: Partial<HttpGetResult> = {}): HttpGetResult => ({ status: 200, statusText: 'OK', body: '', contentType: '', headers: {}, elapsedMs: 12, ...over });

describe('httpValue', () => {
  it('status: any code is the value; a refused cross-origin redirect rides along as a warning', () => {
    expect(httpValue(answer({ status: 503 }), { kind: 'status' })).toEqual({ ok: true, value: 503 });
    expect(httpValue(answer({ status: 302, refusedRedirect: 'redirect to another origin (http://b) not followed' }), { kind: 'status' })).toEqual({ ok: true, value: 302, warning: 'redirect to another origin (http://b) not followed' });
  });
  it('latency: seconds, and only of a 2xx answer', () => {
    expect(httpValue(answer({ elapsedMs: 250 }), { kind: 'latency' })).toEqual({ ok: true, value: 0.25 });
    expect(httpValue(answer({ status: 500, statusText: 'Internal Server Error' }), { kind: 'latency' })).toEqual({ ok: false, error: 'latency not measured: HTTP 500 Internal Server Error' });
    expect(httpValue(answer({ elapsedMs: undefined }), { kind: 'latency' }).ok).toBe(false);
  });
  it('json_path: non-2xx and a body that is not JSON are errors', () => {
    const spec = { kind: 'json_path', path: '$.ok' } as const;
    expect(httpValue(answer({ body: '{"ok":true}' }), spec)).toEqual({ ok: true, value: true });
    expect(httpValue(answer({ status: 404, statusText: 'Not Found', body: '{"ok":true}' }), spec)).toEqual({ ok: false, error: 'HTTP 404 Not Found: {"ok":true}' });
    expect(httpValue(answer({ body: '<html>', contentType: 'text/html' }), spec)).toEqual({ ok: false, error: 'answer is not JSON (content-type text/html): <html>' });
    expect(httpValue(answer({ body: '' }), spec)).toEqual({ ok: false, error: 'answer is not JSON: empty body' });
  });
  it('header: missing, multi-valued, matched', () => {
    expect(httpValue(answer({ status: 204 }), { kind: 'header', name: 'x-a' })).toEqual({ ok: false, error: 'header x-a missing from the answer (HTTP 204)' });
    expect(httpValue(answer({ headers: { 'x-a': ['1', '2'] } }), { kind: 'header', name: 'x-a' })).toEqual({ ok: true, value: '1, 2' });
    expect(httpValue(answer({ headers: { hsts: 'max-age=10' } }), { kind: 'header', name: 'hsts', match: 'max-age=(\\d+)' })).toEqual({ ok: true, value: 10 });
    expect(httpValue(answer({ status: 302, refusedRedirect: 'redirect to another origin not followed', headers: { hsts: 'max-age=10' } }), { kind: 'header', name: 'hsts' }).ok).toBe(false);
  });
});

describe('requestHeaders', () => {
  const src = { url: 'http://127.0.0.1:8080/base', headers: { Authorization: 'Bearer t', 'X-Env': 'prod' } };
  it('source headers only on the source origin; gate headers win whatever their spelling', () => {
    expect(requestHeaders(src, { url: 'http://127.0.0.1:8080/other', headers: { 'x-env': 'stage' } })).toEqual({ authorization: 'Bearer t', 'x-env': 'stage' });
    expect(requestHeaders(src, { url: 'http://127.0.0.1:9999/x', headers: { 'X-Gate': '1' } })).toEqual({ 'x-gate': '1' });
    expect(requestHeaders(src, { url: 'https://127.0.0.1:8080/x', headers: {} })).toEqual({});
  });
});
