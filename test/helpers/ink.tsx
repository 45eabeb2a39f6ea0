/**
 * The console rendered with ink-testing-library over a real Session, wired as the binary is
 * (src/session/wire.ts: ActionRunner and Controller; sources not started: tests feed readings through the live engine), with a fake
 * engine clock and a settable wall clock for the confirm guard. See STACK-NOTES "Testing Ink".
 */
import { act } from 'react';
import { render } from 'ink-testing-library';
import { Console } from '../../views/Console.js';
import type { Theme } from '../../views/theme.js';
import type { Config } from '../../src/config/types.js';
import { FakeClock, type Clock } from '../../src/core/clock.js';
import { Session } from '../../src/session/session.js';
import { wireConsole } from '../../src/session/wire.js';
import type { Ledger } from '../../src/audit/ledger.js';
import { linkLedger } from '../../src/session/ledgerLink.js';
import { testConfig } from './config.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

export interface ConsoleHarnessOptions {
  config?: Config;
  actor?: string;
  readOnly?: boolean;
  ledger?: Ledger;
  /** A FakeClock (default) for deterministic time, or systemClock for tests that wait on real servers. */
  clock?: Clock;
  theme?: Partial<Theme>;
  columns?: number;
  rows?: number;
  /** Receives what `--record` would write (samples, feed messages, key actions, decisions). */
  recorder?: (kind: string, data: unknown) => void;
}

export async function renderConsole(opts: ConsoleHarnessOptions = {}) {
  const clock = opts.clock ?? new FakeClock();
  const config = opts.config ?? testConfig();
  const session = new Session({ config, actor: opts.actor ?? 'alice', clock, readOnly: opts.readOnly ?? false, ...(opts.recorder ? { recorder: opts.recorder } : {}) });
  const wall = { t: 1_000_000 };
  const { runner, controller } = wireConsole(session, opts.ledger, clock, { wallNow: () => wall.t });
  const unlink = opts.ledger ? linkLedger(session, opts.ledger, clock, { deployment: config.deployment.name, ...(config.roles ? { roles: config.roles } : {}), maxAgeMs: config.decision.signoffMaxAge }) : () => {};
  session.live.start();
  let quit = 0;
  const theme: Theme = { ascii: false, color: false, ...opts.theme };
  let r!: ReturnType<typeof render>;
  await act(async () => {
    r = render(
      <Console
        store={session.store}
        theme={theme}
        onInput={(chunk) => {
          const q = controller.input(chunk);
          if (q) quit++;
          return q;
        }}
      />,
    );
  });
  const setSize = async (columns: number, rows: number) => {
    Object.defineProperty(r.stdout, 'columns', { value: columns, configurable: true });
    Object.defineProperty(r.stdout, 'rows', { value: rows, configurable: true });
    await act(async () => {
      r.stdout.emit('resize');
    });
  };
  await setSize(opts.columns ?? 100, opts.rows ?? 30);
  const flush = async () => {
    await act(async () => {
      session.live.flush();
      await new Promise((res) => setTimeout(res, 5));
    });
  };
  return {
    session,
    controller,
    runner,
    clock,
    wall,
    quits: () => quit,
    store: session.store,
    frame: () => r.lastFrame() ?? '',
    unmount: () => {
      controller.dispose();
      unlink();
      session.live.stop();
      r.unmount();
    },
    /** Each key is written on its own, a wall-clock beat apart (past the confirm guard). */
    async press(...keys: string[]) {
      for (const k of keys) {
        wall.t += 200;
        await act(async () => {
          r.stdin.write(k);
          await new Promise((res) => setTimeout(res, 5));
        });
      }
    },
    /** Feeds one scrape result (gate id → value) through the live engine, now. */
    async feed(values: Record<string, number | string | boolean>, sourceId = 'exporter') {
      const readings: Record<string, { value: number | string | boolean; observedAt: number }> = {};
      for (const [k, v] of Object.entries(values)) readings[k.includes(':') || k === 'influence' ? k : `gate:${k}`] = { value: v, observedAt: clock.now() };
      session.live.ingest({ sourceId, result: { ok: true, readings }, startedAt: clock.now(), finishedAt: clock.now() });
      await flush();
    },
    async advance(ms: number) {
      if (!(clock instanceof FakeClock)) throw new Error('advance() needs a FakeClock');
      await act(async () => {
        clock.advance(ms);
      });
      await flush();
    },
    flush,
    resize: setSize,
    /** Polls the frame (flushing the live loop) until it matches, or fails with the last frame. */
    async waitFor(re: RegExp, timeoutMs = 5000): Promise<string> {
      const end = Date.now() + timeoutMs;
      for (;;) {
        await flush();
        const f = r.lastFrame() ?? '';
        if (re.test(f)) return f;
        if (Date.now() > end) throw new Error(`timed out waiting for ${re}; last frame:\n${f}`);
        await new Promise((res) => setTimeout(res, 20));
      }
    },
  };
}
