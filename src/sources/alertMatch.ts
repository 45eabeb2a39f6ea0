/**
 * Alertmanager label matchers, pure: parsing a gate's `filter` entries and deciding whether a
 * silence matters to that filter.
 *
 * When does a silence "match" a gate's filter? When one of the two matcher sets implies the
 * other, label by label:
 *   - the silence is at least as broad as the gate (every silence matcher is implied by a
 *     gate matcher): it mutes every alert the gate watches, e.g. `severity="page"` silenced
 *     while the gate watches `severity="page", service="checkout"`; or
 *   - the silence is at least as narrow as the gate (every gate matcher is implied by a
 *     silence matcher): everything it mutes is an alert the gate watches, e.g. the gate's
 *     matchers plus `alertname="HighLatency"`.
 * A silence that only overlaps (it names labels the gate does not, and leaves gate labels
 * open, like a bare `alertname="DiskFull"`) does not match: flagging it would put every
 * unrelated silence in the room on every alert gate, and a WARN nobody can act on is noise.
 *
 * One matcher implies another only on the same label name:
 *   a="v"  implies a="v", a!="w" (w ≠ v), a=~"r" (r matches v), a!~"r" (r does not match v)
 *   a!="v" implies a!="v";  a=~"r" implies a=~"r";  a!~"r" implies a!~"r"
 * Regexes are anchored as Alertmanager anchors them; one JavaScript cannot compile is
 * treated as matching nothing it is compared with (only identical text implies it).
 */
import { compileAnchored, type Matcher } from '../config/matcher.js';

// The matcher grammar lives with the config that checks it; named here for the alert rules' callers.
export { parseMatcher, type Matcher } from '../config/matcher.js';

function same(a: Matcher, b: Matcher): boolean {
  return a.name === b.name && a.value === b.value && a.isRegex === b.isRegex && a.isEqual === b.isEqual;
}

/** Does every label set matching `a` also match `b`? (Conservative: false when unsure.) */
export function matcherImplies(a: Matcher, b: Matcher): boolean {
  if (a.name !== b.name) return false;
  if (same(a, b)) return true;
  if (!(a.isEqual && !a.isRegex)) return false; // only an exact value implies a different matcher
  if (!b.isRegex) return !b.isEqual && b.value !== a.value;
  const re = compileAnchored(b.value);
  if (!re) return false;
  return re.test(a.value) === b.isEqual;
}

/** Every matcher of `b` is implied by some matcher of `a`: whatever `a` selects, `b` selects. */
export function setImplies(a: readonly Matcher[], b: readonly Matcher[]): boolean {
  return b.every((mb) => a.some((ma) => matcherImplies(ma, mb)));
}

/** The rule of this module's header. */
export function silenceMatchesFilter(silence: readonly Matcher[], filter: readonly Matcher[]): boolean {
  return setImplies(filter, silence) || setImplies(silence, filter);
}

/** A matcher as Alertmanager writes it, for the gate's detail. */
export function formatMatcher(m: Matcher): string {
  const op = m.isRegex ? (m.isEqual ? '=~' : '!~') : m.isEqual ? '=' : '!=';
  return `${m.name}${op}${JSON.stringify(m.value)}`;
}

/** A silence's matchers from the API, or undefined if they are not in the documented shape. */
export function silenceMatchers(raw: unknown): Matcher[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const out: Matcher[] = [];
  for (const m of raw) {
    if (!m || typeof m !== 'object') return undefined;
    const { name, value, isRegex, isEqual } = m as Record<string, unknown>;
    if (typeof name !== 'string' || typeof value !== 'string' || typeof isRegex !== 'boolean') return undefined;
    // isEqual arrived in Alertmanager 0.22; older servers only have equality matchers.
    out.push({ name, value, isRegex, isEqual: typeof isEqual === 'boolean' ? isEqual : true });
  }
  return out;
}
