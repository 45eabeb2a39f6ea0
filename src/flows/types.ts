/**
 * The confirmation flows behind the console's action keys (SPEC §4), as plain data.
 * A flow is the state of one open prompt; the reducer turns keys into the next state and,
 * at most once per flow, an effect for the console to carry out.
 */
import type { PromptKeyEvent } from '../input/promptKeys.js';
import type { RunbookParam } from '../config/types.js';

/** Palette entries that are one-shot console commands rather than a prompt. */
export type PaletteCommand = 'acknowledge' | 'refresh' | 'help';

/** What the flows know of a runbook: enough to prompt for it and say what it sends. */
export interface RunbookOption {
  id: string;
  title: string;
  params: RunbookParam[];
  confirm?: string;
  usesReason: boolean;
  /** Its argv carries {{reason}}: the reason obeys argvTextRefusal too. */
  reasonInArgv?: boolean;
  /** `sends POST http://127.0.0.1:8001/admin/mode/set` / `runs make (no shell)`: said on the confirm screen. */
  sends: string;
  /** `verifies llm_mode{…} == 1 within 30s`, when it has a verify. */
  verifies?: string;
  /** Why this console's actor may not run it (roles, read-only, replay), or undefined. */
  refusal?: string;
}

export type FlowKind = 'kill' | 'influence' | 'advance' | 'decision' | 'signoff' | 'waive' | 'quit' | 'palette' | 'runbook' | 'invalidate' | 'approve';
/** `filter`: the palette's text line; `param`: one of a runbook's params. */
export type FlowStep = 'pct' | 'reason' | 'choice' | 'justification' | 'review' | 'expiry' | 'confirm' | 'filter' | 'param' | 'target';
export type DecisionChoice = 'GO' | 'NO-GO' | 'HOLD';

export interface FlowData {
  from?: number;
  to?: number;
  reason?: string;
  decision?: DecisionChoice;
  justification?: string;
  nextReview?: number;
  gate?: string;
  gateTitle?: string;
  role?: string;
  /** signoff: what is signed when it is not the selected gate, and how to pick another. */
  note?: string;
  expires?: number;
  /** Why a reason is asked: "step 10% → 50% is above max_step 25" / "light is WARN". */
  reasonRequired?: string;
  /** palette: the highlighted entry; runbook choice param: the highlighted value. */
  cursor?: number;
  /** runbook: what runs (a snapshot taken when the flow opened), which param is asked, the values so far. */
  runbook?: RunbookOption;
  paramIndex?: number;
  params?: Record<string, string | number>;
  /** invalidate: the line chosen. */
  target?: InvalidateTarget;
  /** invalidate: what the prompt offers (taken when it opened). */
  targets?: InvalidateTarget[];
  /** GO while NO-GO with decision.override configured: the flow asks for approvals instead. */
  override?: boolean;
  /** `o`: the request being approved. */
  request?: OpenRequest;
}

/** A ledger line this console may invalidate: where it is, pinned by hash, and how it reads. */
export interface InvalidateTarget {
  file: string;
  line: number;
  hash: string;
  /** `sign-off on_call by bob at 14:02Z (ledger.jsonl:7)` */
  label: string;
}

/** The open override / waiver request a console may approve (SPEC §9.5). */
export interface OpenRequest {
  id: string;
  kind: 'go' | 'waiver';
  requestedBy: string;
  overridden: string[];
  gate?: string;
  justification: string;
  counted: number;
  need: number;
  expires: number;
  /** Who has approved so far (the requester included when they hold a role). */
  approvers: string[];
  /** Other open requests (newer): `o` takes this one, and the confirm says so. */
  others?: { id: string; requestedBy: string }[];
}

/** SPEC §9.5: what a request needs. */
export interface ApprovalNeed {
  roles: string[];
  count: number;
  expiresMs: number;
}

export interface Flow {
  kind: FlowKind;
  step: FlowStep;
  /** Text being typed at a text step. */
  draft: string;
  /** Validation message shown on the prompt (e.g. "pct must be a whole number 0-100"). */
  error?: string;
  /** Wall ms when the confirm step was entered. */
  confirmShownAt?: number;
  data: FlowData;
  /** A flow interrupted by Ctrl+K keeps its draft here and is restored when the kill confirm is cancelled. */
  suspended?: Flow;
}

export interface FlowContext {
  /** Engine clock ms (parsing `4h` / `14:30`). */
  now: number;
  /** Wall ms, for the confirm guard. */
  wallNow: number;
  overall: 'GO' | 'WARN' | 'NO-GO';
  /** Observed influence; undefined = unknown. */
  influencePct: number | undefined;
  /** ramp.max_step (100 when no ramp). */
  maxStep: number;
  /** For `n`; undefined when already at the last stage (or no ramp). */
  nextStageInfluence?: number;
  selectedGate?: { id: string; title: string; manual: boolean; signoffRole?: string; remedy?: string };
  /** Manual gates not signed yet, in display order: what `s` signs when the selection is no manual gate. */
  unsignedManualGates?: { id: string; title: string; signoffRole?: string }[];
  /** The gate of the rollback banner on screen, if any: `x` runs its remedy first. */
  bannerGate?: { id: string; title: string; remedy?: string };
  /** Configured runbooks, each with why this actor may not run it. */
  runbooks?: RunbookOption[];
  /** Standing decisions, sign-offs and waivers of this console's ledger, newest first (the palette's invalidate). */
  invalidatable?: InvalidateTarget[];
  /** Roles the actor holds ([] when roles are not configured). */
  actorRoles: string[];
  rolesConfigured: boolean;
  readOnly: boolean;
  /** decision.require_signoffs */
  requiredSignoffs: string[];
  missingSignoffs: string[];
  actionInFlight: boolean;
  /** A kill-switch request has no outcome yet. */
  killInFlight?: boolean;
  /** Quit was confirmed once and waits for the kill's outcome. */
  quitWaiting?: boolean;
  /** Audit lines not on disk yet (writes failing). */
  auditPending?: number;
  auditError?: string;
  /** decision.override: GO while NO-GO becomes a request for these approvals. */
  override?: ApprovalNeed;
  /** waiver.approvals: a waiver waits for these approvals. */
  waiverApprovals?: ApprovalNeed;
  /** The newest pending request (override or waiver), if any. */
  openRequest?: OpenRequest;
  actor?: string;
}

export type FlowEffect =
  | { type: 'kill'; from?: number; reason: string }
  | { type: 'setInfluence'; from?: number; to: number; reason?: string; advance: boolean }
  | { type: 'decision'; decision: DecisionChoice; justification: string; nextReview?: number }
  | { type: 'signoff'; role: string; gate?: string }
  | { type: 'waive'; gate: string; reason: string; expires: number }
  | { type: 'overrideRequest'; justification: string }
  | { type: 'approve'; request: string }
  | { type: 'quit' }
  | { type: 'runbook'; id: string; params: Record<string, string | number>; reason?: string; gate?: string }
  | { type: 'invalidate'; target: { file: string; line: number; hash: string }; reason: string }
  /** A palette entry that is a one-shot console command. */
  | { type: 'command'; command: PaletteCommand }
  /** The key was refused: show why (read-only, role, GO while NO-GO, no next stage…). */
  | { type: 'refused'; message: string };

/** The subset of Ink's key info the flows need (Ink's `useInput(input, key)` maps onto it). */
export type Key = PromptKeyEvent;

export interface FlowResult {
  flow: Flow | null;
  effect?: FlowEffect;
}

/** A confirm key arriving sooner than this after the confirm screen appeared is type-ahead. */
export const CONFIRM_GUARD_MS = 150;
/** Longest text a prompt accepts (reasons, justifications). */
export const MAX_DRAFT = 200;
/** Longest waiver. */
export const MAX_WAIVER_MS = 7 * 86_400_000;
export const DEFAULT_KILL_REASON = 'kill-switch by console';
export const READ_ONLY_MESSAGE = 'READ-ONLY: actions are disabled';
