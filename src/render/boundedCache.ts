/**
 * A memo cache that cannot grow without bound, for Ink's text caches (patched in by
 * scripts/bundle.mjs). Ink 6 keeps `measureText` and `wrapText` results in module-level maps
 * keyed by the full text and never evicts (vadimdemedes/ink#986): a console whose values and
 * clock change every second adds tens of entries a second, for the whole deployment window.
 *
 * Two generations: lookups read the current map, then the previous one (promoting a hit);
 * when the current map is full it becomes the previous one and the old previous is dropped.
 * Everything a frame uses stays cached, in O(1), with at most 2 × `limit` entries.
 */
export class BoundedCache<K, V> {
  private current = new Map<K, V>();
  private previous = new Map<K, V>();

  constructor(private readonly limit: number) {}

  get(key: K): V | undefined {
    const hit = this.current.get(key);
    if (hit !== undefined) return hit;
    const old = this.previous.get(key);
    if (old !== undefined) this.set(key, old);
    return old;
  }

  set(key: K, value: V): this {
    if (this.current.size >= this.limit) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, value);
    return this;
  }

  get size(): number {
    return this.current.size + this.previous.size;
  }
}

/** Per cache: a 120×60 screen lays out a few hundred text nodes, each measured once or twice a frame. */
export const INK_TEXT_CACHE_LIMIT = 2000;
