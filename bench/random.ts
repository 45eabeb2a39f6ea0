/**
 * Seeded pseudo-random numbers (mulberry32), so synthetic data is independent yet repeatable: the
 * judge benches and the tests that build series or hostile input from a seed share these.
 */

/** Raw 32-bit outputs, one per call. */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Uniforms in the open interval (0, 1): safe under a logarithm. */
export function uniform(seed: number): () => number {
  const r = mulberry32(seed);
  return () => (r() + 0.5) / 4294967296;
}

/** Standard normals (Box–Muller over `uniform`). */
export function gaussian(seed: number): () => number {
  const u = uniform(seed);
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}
