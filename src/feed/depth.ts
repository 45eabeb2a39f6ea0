/**
 * Nesting depth of a parsed frame. V8's JSON.parse builds deep nesting without recursing,
 * but JSON.stringify (the event log, `--record`) recurses and throws on it, so a frame is
 * measured right after the parse, before anything can stringify it. Walked with an explicit
 * stack (no recursion), and it stops at the first node past `max`. Measuring the parsed value
 * rather than the text costs one step per array/object member, not one per character: a
 * 6 KB alert summary is one node (a character scan was 9x the cost of JSON.parse itself).
 */
export function depthExceeds(value: unknown, max: number): boolean {
  if (value === null || typeof value !== 'object') return max < 0;
  const stack: unknown[] = [value];
  const depths: number[] = [1];
  while (stack.length > 0) {
    const v = stack.pop() as object;
    const d = depths.pop()!;
    if (d > max) return true;
    const children = Array.isArray(v) ? v : Object.values(v);
    for (const c of children) {
      if (c !== null && typeof c === 'object') {
        stack.push(c);
        depths.push(d + 1);
      }
    }
  }
  return false;
}
