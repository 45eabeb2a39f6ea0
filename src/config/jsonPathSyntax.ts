/** The JSONPath syntax an http gate's `json_path` must have (evaluated by sources/jsonPath.ts). */

/**
 * Config-time check. jsonpath-plus accepts nearly any text (`$[` selects the whole document),
 * so obvious typos are caught here: the path must start at the root and its brackets and
 * quotes must close.
 */
export function checkJsonPathSyntax(path: string): string | undefined {
  if (!path.startsWith('$')) return `a JSONPath starts at the root, e.g. "$.${path.replace(/^\.+/, '')}"`;
  const closing: Record<string, string> = { '[': ']', '(': ')' };
  const stack: string[] = [];
  let quote: string | undefined;
  for (let i = 0; i < path.length; i++) {
    const c = path[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '[' || c === '(') stack.push(closing[c]!);
    else if (c === ']' || c === ')') {
      if (stack.pop() !== c) return `unbalanced "${c}" at character ${i + 1}`;
    }
  }
  if (quote) return `unclosed ${quote} quote`;
  if (stack.length) return `unclosed "${stack[stack.length - 1] === ']' ? '[' : '('}"`;
  return undefined;
}
