/**
 * The open prompt of an action key: a bordered box of at most 8 lines that says what is asked
 * and what confirming does. Prop-driven; the words come from describeFlow.
 */
import { Box, Text } from 'ink';
import { asciiOnly } from './theme.js';
import { describeFlow, type Flow, type FlowContext } from '../src/viewmodel/prompt.js';

export const PROMPT_MAX_LINES = 8;

export interface PromptPanelProps {
  flow: Flow;
  ctx: FlowContext;
  width: number;
  ascii?: boolean;
  color?: boolean;
}


function cut(s: string, n: number, ascii: boolean): string {
  if (n <= 0) return '';
  if (s.length <= n) return s;
  const ell = ascii ? '...' : '…';
  return n > ell.length ? s.slice(0, n - ell.length) + ell : s.slice(0, n);
}

/** `label: value_`, showing the end of a long draft so the cursor stays in view. */
function inputLine(label: string, value: string, n: number, ascii: boolean): string {
  const head = `${label}: `;
  const room = n - head.length - 1; // 1 for the cursor
  if (room <= 0) return cut(head, n, ascii);
  const ell = ascii ? '...' : '…';
  const shown = value.length <= room ? value : ell + value.slice(value.length - (room - ell.length));
  return `${head}${shown}_`;
}

export function PromptPanel({ flow, ctx, width, ascii = false, color = true }: PromptPanelProps) {
  const plain = (s: string) => (ascii ? asciiOnly(s) : s);
  const d = describeFlow(flow, ctx);
  const boxWidth = Math.max(20, Math.floor(width));
  const inner = boxWidth - 4; // borders and one column of padding each side
  const kill = flow.kind === 'kill';

  // Title, input, error and hint always show; the explanatory lines give way (2 border rows).
  const fixed = 2 + (d.input ? 1 : 0) + (d.error ? 1 : 0);
  const lines = d.lines.slice(0, Math.max(0, PROMPT_MAX_LINES - 2 - fixed));
  const accent = color ? (kill ? 'red' : 'yellow') : undefined;

  return (
    <Box borderStyle={ascii ? 'classic' : 'single'} borderColor={accent} flexDirection="column" paddingX={1} width={boxWidth}>
      <Text wrap="truncate" bold color={accent}>
        {cut(plain(d.title), inner, ascii)}
      </Text>
      {lines.map((l, i) => (
        <Text key={i} wrap="truncate">
          {cut(plain(l), inner, ascii)}
        </Text>
      ))}
      {d.input ? (
        <Text wrap="truncate" bold>
          {inputLine(plain(d.input.label), plain(d.input.value), inner, ascii)}
        </Text>
      ) : null}
      {d.error ? (
        <Text wrap="truncate" color={color ? 'red' : undefined}>
          {cut(plain(`error: ${d.error}`), inner, ascii)}
        </Text>
      ) : null}
      <Text wrap="truncate" dimColor>
        {cut(plain(d.hint), inner, ascii)}
      </Text>
    </Box>
  );
}
