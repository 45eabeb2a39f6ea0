/**
 * Forwards every terminal read to the console, whole; quits when it says so.
 *
 * Not `useInput`: it hands over a read of several plain keys (`KK`, `jjj`, Ctrl+K Ctrl+K)
 * as one "key" with no flags, and strips the ESC of a sequence it does not know (a paste
 * bracket `ESC[200~` arrives as the text `[200~`), so what was pressed can no longer be
 * told apart. Ink's own input events carry the read as its parser cut it (escape sequences
 * apart, a lone ESC after its flush), which the console splits into keys itself.
 */
import { useApp, useStdin } from 'ink';
import { useEffect, useRef } from 'react';
import { useWarroom } from './context.js';

/** One terminal read → true when the console should quit. */
export type InputHandler = (chunk: string) => boolean;

export function useConsoleKeys(onInput: InputHandler): void {
  const { exit } = useApp();
  const { setRawMode, internal_eventEmitter: events } = useStdin();
  // Quits that wait (a kill in flight, a signal) end here once the controller says so.
  const exitNow = useWarroom((s) => s.audit.exitNow === true);
  useEffect(() => {
    if (exitNow) exit();
  }, [exitNow, exit]);
  // The latest handler without re-subscribing on every render (a read must never fall between).
  const handler = useRef(onInput);
  handler.current = onInput;
  useEffect(() => {
    setRawMode(true);
    return () => setRawMode(false);
  }, [setRawMode]);
  useEffect(() => {
    const onData = (data: string | Buffer) => {
      if (handler.current(String(data))) exit();
    };
    events.on('input', onData);
    return () => {
      events.off('input', onData);
    };
  }, [events, exit]);
}
