/** Forwards every key to the controller; quits when it says so. */
import { useApp, useInput } from 'ink';
import { useEffect } from 'react';
import { useWarroom } from './context.js';

export type KeyHandler = (input: string, key: Parameters<Parameters<typeof useInput>[0]>[1]) => boolean;

export function useConsoleKeys(onKey: KeyHandler): void {
  const { exit } = useApp();
  // Quits that wait (a kill in flight, a signal) end here once the controller says so.
  const exitNow = useWarroom((s) => s.audit.exitNow === true);
  useEffect(() => {
    if (exitNow) exit();
  }, [exitNow, exit]);
  useInput((input, key) => {
    if (onKey(input, key)) exit();
  });
}
