import { describe, expect, it } from 'vitest';
import { redirectOptions, refusedRedirectText, sameOrigin } from '../../src/util/redirects.js';

const res = (url: string, location: string | undefined, statusCode = 302) => ({ url, statusCode, headers: location === undefined ? {} : { location } }) as never;

describe('redirect policy', () => {
  it('origin is scheme, host and port', () => {
    expect(sameOrigin('http://127.0.0.1:9090/a', 'http://127.0.0.1:9090/b?x')).toBe(true);
    expect(sameOrigin('http://127.0.0.1:9090/', 'http://127.0.0.1:9091/')).toBe(false);
    expect(sameOrigin('http://127.0.0.1:9090/', 'https://127.0.0.1:9090/')).toBe(false);
    expect(sameOrigin('not a url', 'not a url')).toBe(false);
  });
  it('follows relative and same-origin locations, refuses other origins unless allowed', () => {
    const strict = redirectOptions('http://127.0.0.1:9090/api', {}, false).followRedirect;
    expect(strict(res('http://127.0.0.1:9090/api', '/other'))).toBe(true);
    expect(strict(res('http://127.0.0.1:9090/api', 'http://127.0.0.1:9091/api'))).toBe(false);
    expect(strict(res('http://127.0.0.1:9090/api', 'https://127.0.0.1:9090/api'))).toBe(false);
    expect(strict(res('http://127.0.0.1:9090/api', undefined))).toBe(false);
    const open = redirectOptions('http://127.0.0.1:9090/api', {}, true).followRedirect;
    expect(open(res('http://127.0.0.1:9090/api', 'http://127.0.0.1:9091/api'))).toBe(true);
  });
  it('strips every configured header, whatever its case, before a hop to another origin', async () => {
    const hook = redirectOptions('http://127.0.0.1:9090/', { 'X-Api-Key': 's', Authorization: 'Bearer s' }, true).hooks.beforeRedirect[0]!;
    const away = { url: new URL('http://127.0.0.1:9091/'), headers: { 'x-api-key': 's', authorization: 'Bearer s', 'user-agent': 'got' } };
    await hook(away as never, {} as never);
    expect(away.headers).toEqual({ 'user-agent': 'got' });
    const home = { url: new URL('http://127.0.0.1:9090/next'), headers: { 'x-api-key': 's' } };
    await hook(home as never, {} as never);
    expect(home.headers).toEqual({ 'x-api-key': 's' });
  });
  it('a refused redirect is explained with the target origin only', () => {
    expect(refusedRedirectText(res('http://127.0.0.1:9090/a', 'http://127.0.0.1:9091/x?token=1'), 'http://127.0.0.1:9090/a')).toMatch(
      /^redirect to another origin \(http:\/\/127\.0\.0\.1:9091\) not followed; set follow_redirects: true/,
    );
    expect(refusedRedirectText(res('http://127.0.0.1:9090/a', '/b'), 'http://127.0.0.1:9090/a')).toBeUndefined();
    // A sink takes no follow_redirects: there the advice is the final address.
    const sink = refusedRedirectText(res('http://127.0.0.1:9090/a', 'http://127.0.0.1:9091/x'), 'http://127.0.0.1:9090/a', 'final_url');
    expect(sink).toBe("redirect to another origin (http://127.0.0.1:9091) not followed; a sink never follows one: put the address it redirects to in the sink's url");
    expect(refusedRedirectText(res('http://127.0.0.1:9090/a', 'http://127.0.0.1:9091/', 200), 'http://127.0.0.1:9090/a')).toBeUndefined();
  });
});
