/**
 * Redirect policy for every outgoing HTTP request (sources and actions), SPEC §9.2: a redirect
 * is followed only within the configured origin unless the config says `follow_redirects: true`,
 * and the configured headers never reach another origin. got itself strips only Authorization,
 * Cookie and Host on a cross-host hop (and treats http→https on one host as the same site),
 * so a custom `X-Api-Key: ${TOKEN}` would otherwise travel with the redirect.
 */
import type { BeforeRedirectHook, PlainResponse } from 'got';

/** Scheme, host and port; undefined for text that is not an absolute URL. */
export function originOf(url: string | URL): string | undefined {
  try {
    const o = new URL(String(url)).origin;
    return o === 'null' ? undefined : o;
  } catch {
    return undefined;
  }
}

export function sameOrigin(a: string | URL, b: string | URL): boolean {
  const oa = originOf(a);
  return oa !== undefined && oa === originOf(b);
}

/** Where a redirect response points, resolved against the URL that answered it. */
export function redirectTarget(res: Pick<PlainResponse, 'url' | 'headers'>): string | undefined {
  const loc = res.headers.location;
  if (typeof loc !== 'string' || loc === '') return undefined;
  try {
    return new URL(Buffer.from(loc, 'binary').toString(), res.url).toString();
  } catch {
    return undefined;
  }
}

export interface RedirectOptions {
  followRedirect: (res: PlainResponse) => boolean;
  hooks: { beforeRedirect: BeforeRedirectHook[] };
}

export function redirectOptions(startUrl: string, configuredHeaders: Record<string, string>, followOtherOrigins: boolean): RedirectOptions {
  const names = Object.keys(configuredHeaders).map((k) => k.toLowerCase());
  return {
    followRedirect: (res) => {
      const target = redirectTarget(res);
      if (target === undefined) return false;
      return followOtherOrigins || sameOrigin(target, startUrl);
    },
    hooks: {
      beforeRedirect: [
        (options) => {
          if (sameOrigin(options.url ?? '', startUrl)) return;
          const h = options.headers as Record<string, unknown>;
          // got keeps header names lower-cased; the original spelling is removed too in case it did not.
          for (const k of Object.keys(h)) if (names.includes(k.toLowerCase())) delete h[k];
        },
      ],
    },
  };
}

/**
 * How to get past a refused redirect, said for where it happened: sources and actions take
 * `follow_redirects: true`; a notification sink does not (its message would go to another
 * origin), so there the fix is the final address in the sink's `url`.
 */
export type RedirectAdvice = 'follow_redirects' | 'final_url';

const ADVICE: Record<RedirectAdvice, string> = {
  follow_redirects: 'set follow_redirects: true to allow it (configured headers are never sent there)',
  final_url: "a sink never follows one: put the address it redirects to in the sink's url",
};

/** A redirect we did not follow, in words: where it pointed (origin only) and how to get past it. */
export function refusedRedirectText(
  res: Pick<PlainResponse, 'url' | 'headers' | 'statusCode'>,
  startUrl: string,
  advice: RedirectAdvice = 'follow_redirects',
): string | undefined {
  if (res.statusCode < 300 || res.statusCode > 399) return undefined;
  const target = redirectTarget(res);
  if (target === undefined || sameOrigin(target, startUrl)) return undefined;
  return `redirect to another origin (${originOf(target) ?? 'unknown'}) not followed; ${ADVICE[advice]}`;
}
