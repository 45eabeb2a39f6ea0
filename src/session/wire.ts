/**
 * The console's non-React half put together over a Session: the action runner (http/argv
 * acts) and the key controller (keys → flows → acts), with the room's override requests
 * followed when approvals are configured. `runConsole` and the Ink test harness both wire
 * through here, so tests drive the same assembly the binary runs.
 */
import type { Ledger } from '../audit/ledger.js';
import type { ApprovalContext } from '../audit/approvals.js';
import type { Clock } from '../core/clock.js';
import { ActionRunner } from '../acts/actionRunner.js';
import { Controller } from '../input/controller.js';
import type { Session } from './session.js';

export interface WiredConsole {
  runner: ActionRunner;
  controller: Controller;
}

export function wireConsole(session: Session, ledger: Ledger | undefined, clock: Clock, opts: { wallNow?: () => number; approvals?: ApprovalContext } = {}): WiredConsole {
  const runner = new ActionRunner(session, ledger, clock);
  const controller = new Controller(session, runner, ledger, clock, opts.wallNow);
  if (opts.approvals) controller.useOverrides(opts.approvals);
  return { runner, controller };
}
