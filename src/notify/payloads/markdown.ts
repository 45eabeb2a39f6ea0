/**
 * Text from the room (feed events, alert summaries, source errors) shown in a Markdown-rendering
 * sink (a Teams Adaptive Card's TextBlock and FactSet): its link and emphasis syntax is escaped,
 * so `[Approve](https://evil…)` shows as those characters and never as a button-like link named
 * by someone else. `](` is broken by a backslash before each bracket and the parenthesis, which
 * also defeats renderers that match links with a plain pattern rather than parse escapes. Pure.
 */
export function markdownEscape(text: string): string {
  return text.replace(/[\\`*<[\]]|(?<=\])\(/g, (c) => `\\${c}`);
}
