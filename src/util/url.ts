/**
 * URLs in words a person or a log sees. One display rule everywhere (views, source errors,
 * action messages): no user info, query or fragment, which is where credentials ride.
 */
import { oneLine } from './sanitize.js';

/** The URL without user info, query or fragment: safe to show and record. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return oneLine(url.replace(/[?#].*$/s, '').replace(/\/\/[^/@]*@/, '//'), 200);
  }
}

/**
 * Every form of the URL that could appear in an error, replaced by its origin: for sinks whose
 * path is itself the credential (a Slack or Teams webhook), where even `displayUrl` says too much.
 */
export function scrubUrl(text: string, url: string): string {
  let out = String(text);
  try {
    const u = new URL(url);
    const forms = [url, u.href, u.pathname + u.search, u.pathname].filter((f) => f.length > 1).sort((a, b) => b.length - a.length);
    for (const f of forms) out = out.split(f).join(f.startsWith('/') ? '/…' : `${u.origin}/…`);
  } catch {
    // not a URL: nothing to scrub
  }
  return out;
}
