/**
 * The console counts a confirm key only CONFIRM_GUARD_MS after the confirm screen appeared
 * (type-ahead never confirms). Tests that press one wait twice the guard after seeing the
 * screen, so a loaded machine's slower capture cannot make them early.
 */
import { CONFIRM_GUARD_MS } from '../../src/flows/types.js';

export const PAST_GUARD_MS = 2 * CONFIRM_GUARD_MS;

export function pastGuard(): Promise<void> {
  return new Promise((r) => setTimeout(r, PAST_GUARD_MS));
}

/** Waits out the guard, then presses `key` (y by default) on a confirm screen already drawn. */
export async function confirm(t: { send(...keys: string[]): void }, key = 'y'): Promise<void> {
  await pastGuard();
  t.send(key);
}
