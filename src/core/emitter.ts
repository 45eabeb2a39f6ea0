/**
 * The one listener API of the house: `on(name, listener)` returns the unsubscribe, and each
 * event carries one payload. A listener that throws is isolated: a broken view or logger must
 * never stop the feed, the ledger or the triggers from reaching the others.
 */
export class Emitter<Events extends Record<string, unknown>> {
  private readonly listeners = new Map<keyof Events, Set<(e: never) => void>>();

  on<K extends keyof Events>(name: K, listener: (e: Events[K]) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(listener as (e: never) => void);
    return () => set.delete(listener as (e: never) => void);
  }

  /** True when anyone listens (lets a caller skip building a payload nobody reads). */
  has<K extends keyof Events>(name: K): boolean {
    return (this.listeners.get(name)?.size ?? 0) > 0;
  }

  emit<K extends keyof Events>(name: K, e: Events[K]): void {
    const set = this.listeners.get(name);
    if (!set) return;
    for (const l of [...set]) {
      try {
        (l as (e: Events[K]) => void)(e);
      } catch {
        // isolated: see above
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
