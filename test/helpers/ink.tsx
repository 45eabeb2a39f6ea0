/** Rendering the console with ink-testing-library, deterministically (see STACK-NOTES "Testing Ink"). */
import { act } from 'react';
import { render } from 'ink-testing-library';
import { Console } from '../../views/Console.js';
import type { WarroomStore } from '../../src/store/store.js';
import type { Theme } from '../../views/theme.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

export async function renderConsole(store: WarroomStore, opts: { theme?: Partial<Theme>; columns?: number; rows?: number } = {}) {
  const calls = { refresh: 0, quit: 0 };
  const commands = { refresh: () => void calls.refresh++, quit: () => void calls.quit++ };
  const theme: Theme = { ascii: false, color: false, ...opts.theme };
  let r!: ReturnType<typeof render>;
  await act(async () => {
    r = render(<Console store={store} theme={theme} commands={commands} />);
  });
  Object.defineProperty(r.stdout, 'columns', { value: opts.columns ?? 100, configurable: true });
  Object.defineProperty(r.stdout, 'rows', { value: opts.rows ?? 30, configurable: true });
  await act(async () => {
    r.stdout.emit('resize');
  });
  const frame = () => r.lastFrame() ?? '';
  return {
    ...r,
    calls,
    frame,
    async press(...keys: string[]) {
      for (const k of keys) {
        await act(async () => {
          r.stdin.write(k);
          await new Promise((res) => setTimeout(res, 5));
        });
      }
    },
    async resize(columns: number, rows: number) {
      Object.defineProperty(r.stdout, 'columns', { value: columns, configurable: true });
      Object.defineProperty(r.stdout, 'rows', { value: rows, configurable: true });
      await act(async () => {
        r.stdout.emit('resize');
      });
    },
    async update(fn: () => void) {
      await act(async () => fn());
    },
  };
}
