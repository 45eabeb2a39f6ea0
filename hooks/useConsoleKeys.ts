/** Forwards every key to the controller; quits when it says so. */
import { useApp, useInput } from 'ink';

export type KeyHandler = (input: string, key: Parameters<Parameters<typeof useInput>[0]>[1]) => boolean;

export function useConsoleKeys(onKey: KeyHandler): void {
  const { exit } = useApp();
  useInput((input, key) => {
    if (onKey(input, key)) exit();
  });
}
