/** Rings the terminal bell once each time the store's bell counter moves. */
import { useStdout } from 'ink';
import { useEffect, useRef } from 'react';
import { useWarroom } from './context.js';

export function useBell(): void {
  const bell = useWarroom((s) => s.bell);
  const { write } = useStdout();
  const seen = useRef(bell);
  useEffect(() => {
    if (bell !== seen.current) {
      seen.current = bell;
      write('\u0007');
    }
  }, [bell, write]);
}
