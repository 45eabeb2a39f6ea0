/**
 * The one store: sources write (through the live loop), views select. A vanilla zustand store
 * so non-React code (pollers, actions, tests) reads and writes it without a renderer.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { makeRedactor } from '../util/redactor.js';
import { redactWrites } from './redacting.js';
import type { Config } from '../config/types.js';
import type { Flow } from '../flows/types.js';
import type { RampView } from '../ramp/timeline.js';
import type { TriggerState } from '../ramp/triggers.js';
import type { GateResult, OverallResult, Reading, Signoff, SourceHealth, Waiver } from '../core/types.js';

export type EventKind = 'alert' | 'feed' | 'action' | 'decision' | 'system' | 'gate';
export type EventLevel = 'info' | 'ok' | 'warn' | 'error';
export interface EventEntry {
  id: number;
  at: number;
  kind: EventKind;
  level: EventLevel;
  text: string;
  /**
   * Where a line came from when not from this console: `feed` (the server's status, alert and
   * event frames) or `remote:ACTOR` (another console's action). Always shown, so remote text
   * can never read exactly like one of our own lines.
   */
  origin?: string;
}

/** What the header says of the room on NATS: `ROOM OFFLINE`, `ROOM BACKLOG n`, `room 3: alice* bob carol(ro)`. */
export interface RoomHeader {
  online: boolean;
  backlog: number;
  people: string;
  dropped: number;
}

/** A write only when it changed. */
export function setRoomHeader(store: WarroomStore, room: RoomHeader): void {
  const r = store.getState().room;
  if (r && r.online === room.online && r.backlog === room.backlog && r.people === room.people && r.dropped === room.dropped) return;
  store.setState({ room });
}

export interface FeedView {
  sourceId: string;
  state: 'connecting' | 'open' | 'closed';
  dropped: number;
  /** Dropped frames by reason (not_json, oversize, too_deep, bad_seq, duplicate, …). */
  droppedByReason: Record<string, number>;
  missed: number;
  reconnects: number;
  /** Times the server's seq started over or jumped beyond max_seq_jump. */
  restarts: number;
  /** Alerts firing on the feed (exact), of severity page, and beyond the kept ones ("+N more"). */
  firing: number;
  firingPage: number;
  firingMore: number;
  lastError?: string;
}

export type ActionName = 'kill_switch' | 'set_influence' | 'runbook';
export interface ActionStepView {
  step: string;
  at: number;
  error?: string;
  detail?: string;
}
/** One action as the screen shows it: sent → acknowledged → verified, or failed (stays until dismissed). */
export interface ActionView {
  id: string;
  name: ActionName;
  label: string;
  from?: number;
  /** Target influence (kill-switch, influence); a runbook has none. */
  to?: number;
  /** The runbook id (SPEC §9.5). */
  runbook?: string;
  state: 'running' | 'done' | 'failed';
  step: string;
  steps: ActionStepView[];
  error?: string;
  startedAt: number;
  endedAt?: number;
  trigger?: string;
  dismissed?: boolean;
  /** The one key every attempt of this action carries (also on its ledger lines). */
  idempotencyKey?: string;
}

export interface Notice {
  text: string;
  level: EventLevel;
  at: number;
  /** Says a state that lasts (quitting once the kill has an outcome): shown until replaced or dismissed. */
  sticky?: boolean;
}

export interface UiState {
  selected: number;
  filter: string;
  filtering: boolean;
  detail: boolean;
  help: boolean;
}

export interface WarroomState {
  config: Config;
  actor: string;
  /** The actor's role from `roles`, if any. */
  role?: string;
  readOnly: boolean;
  mode: 'live' | 'demo' | 'replay';
  now: number;
  sources: Record<string, SourceHealth>;
  readings: Record<string, Reading>;
  /** Recent numeric values per gate, oldest first, for sparklines. */
  history: Record<string, number[]>;
  gates: Record<string, GateResult>;
  overall: OverallResult;
  influence: { pct?: number; observedAt?: number; error?: string };
  signoffs: Signoff[];
  waivers: Waiver[];
  feeds: Record<string, FeedView>;
  /** Newest first, bounded. */
  events: EventEntry[];
  /** Newest first, bounded. */
  actions: ActionView[];
  /** Where the ramp stands (absent without a `ramp:` config). */
  ramp?: RampView;
  /** Rollback triggers to show as banners, most urgent first. */
  banner: TriggerState[];
  /** The open prompt of an action key, if any. */
  flow: Flow | null;
  /** Incremented to ring the terminal bell once (a checkpoint fell due, a trigger armed). */
  bell: number;
  /** The audit trail's health: lines not yet on disk and why (SPEC §9.1), and a pending quit. */
  audit: AuditView;
  /** The room on NATS (SPEC §10.1), when configured. */
  room?: RoomHeader;
  /** A refused key or a short confirmation, shown above the footer until replaced. */
  notice?: Notice;
  /** Notification sinks (absent when none run in this console). */
  notify?: NotifySinkView[];
  /** Override and waiver requests (SPEC §9.5), newest first. */
  overrides: OverrideView[];
  ui: UiState;
}

/** SPEC §9.4: each notification sink's health, for the header. */
export interface NotifySinkView {
  /** `slack#0` */
  name: string;
  /** Its last message failed for good, or the current one is being retried after a failure. */
  failing: boolean;
  /** Messages dropped unsent because its queue was full. */
  dropped: number;
}

/** An open, completed or expired override / waiver request as the room sees it (SPEC §9.5). */
export interface OverrideView {
  id: string;
  kind: 'go' | 'waiver';
  requestedBy: string;
  requestedAt: number;
  expires: number;
  state: 'pending' | 'complete' | 'expired';
  need: number;
  approvers: { actor: string; role: string }[];
  notCounted: { actor: string; why: string }[];
  /** Critical gates not PASS when asked (kind go), or the gate to waive. */
  overridden: string[];
  gate?: string;
  justification: string;
}

export interface AuditView {
  pending: number;
  error?: string;
  /** Quit confirmed while a kill-switch was in flight: waiting for its outcome. */
  quitWaiting?: boolean;
  /** Set when the console should exit now (the Ink tree watches it). */
  exitNow?: boolean;
}

export const EVENT_LIMIT = 200;
export const HISTORY_LIMIT = 30;

export type WarroomStore = StoreApi<WarroomState>;

export interface StoreInit {
  config: Config;
  actor: string;
  readOnly?: boolean;
  mode?: WarroomState['mode'];
  now: number;
}

export function roleOf(config: Config, actor: string): string | undefined {
  for (const [role, people] of Object.entries(config.roles ?? {})) if (people.includes(actor)) return role;
  return undefined;
}

export function createWarroomStore(init: StoreInit): WarroomStore {
  const sources: Record<string, SourceHealth> = {};
  for (const s of Object.values(init.config.sources)) sources[s.id] = { id: s.id, type: s.type, state: 'pending' };
  const role = roleOf(init.config, init.actor);
  const store = createStore<WarroomState>()(() => ({
    config: init.config,
    actor: init.actor,
    ...(role ? { role } : {}),
    readOnly: init.readOnly ?? false,
    mode: init.mode ?? 'live',
    now: init.now,
    sources,
    readings: {},
    history: {},
    gates: {},
    overall: { overall: 'NO-GO', reasons: ['no data yet'], missingSignoffs: [] },
    influence: {},
    signoffs: [],
    waivers: [],
    feeds: {},
    events: [],
    actions: [],
    banner: [],
    flow: null,
    bell: 0,
    audit: { pending: 0 },
    overrides: [],
    ui: { selected: 0, filter: '', filtering: false, detail: false, help: false },
  }));
  return redactWrites(store, makeRedactor(init.config));
}

let eventSeq = 0;
/** Prepends events (newest first) keeping the log bounded. */
export function withEvents(events: EventEntry[], add: Omit<EventEntry, 'id'>[]): EventEntry[] {
  if (add.length === 0) return events;
  const fresh = add.map((e) => ({ ...e, id: ++eventSeq })).reverse();
  const out = fresh.concat(events);
  return out.length > EVENT_LIMIT ? out.slice(0, EVENT_LIMIT) : out;
}

export function pushEvent(store: WarroomStore, e: Omit<EventEntry, 'id' | 'at'> & { at?: number }): void {
  const entry: Omit<EventEntry, 'id'> = { at: e.at ?? 0, kind: e.kind, level: e.level, text: e.text, ...(e.origin ? { origin: e.origin } : {}) };
  store.setState((s) => ({ events: withEvents(s.events, [{ ...entry, at: e.at ?? s.now }]) }));
}

export function updateUi(store: WarroomStore, patch: Partial<UiState>): void {
  store.setState((s) => ({ ui: { ...s.ui, ...patch } }));
}

export const ACTION_LIMIT = 20;

export function upsertAction(store: WarroomStore, id: string, patch: (a: ActionView | undefined) => ActionView): void {
  store.setState((s) => {
    const i = s.actions.findIndex((a) => a.id === id);
    const next = patch(i >= 0 ? s.actions[i] : undefined);
    const actions = i >= 0 ? s.actions.map((a, j) => (j === i ? next : a)) : [next, ...s.actions].slice(0, ACTION_LIMIT);
    return { actions };
  });
}

/** How long a notice stays on screen (console clock): it answers the key just pressed, not the room's state. */
export const NOTICE_MS = 10_000;

/** The notice to show now, or undefined once it is older than NOTICE_MS (the event log keeps what matters). */
export function shownNotice(s: Pick<WarroomState, 'notice' | 'now'>): Notice | undefined {
  return s.notice && (s.notice.sticky || s.now - s.notice.at < NOTICE_MS) ? s.notice : undefined;
}

export function setNotice(store: WarroomStore, text: string, level: EventLevel = 'warn', opts: { sticky?: boolean } = {}): void {
  store.setState((s) => ({ notice: { text, level, at: s.now, ...(opts.sticky ? { sticky: true } : {}) } }));
}

/* Named writes of console state: every store write outside the live engine's flush is one of these. */

export function setFlow(store: WarroomStore, flow: WarroomState['flow']): void {
  store.setState({ flow });
}

/** Esc on the main screen: failed actions acknowledged, notice and detail closed. */
export function dismiss(store: WarroomStore): void {
  store.setState((s) => ({
    actions: s.actions.map((a) => (a.state === 'failed' ? { ...a, dismissed: true } : a)),
    notice: undefined,
    ui: { ...s.ui, detail: false },
  }));
}

/** The terminal bell, once (a trigger raised or armed, a checkpoint due). */
export function ringBell(store: WarroomStore): void {
  store.setState((s) => ({ bell: s.bell + 1 }));
}

/** Quit asked while a kill is in flight: the console stays until its outcome. */
export function waitToQuit(store: WarroomStore): void {
  store.setState((s) => ({ audit: { ...s.audit, quitWaiting: true } }));
}

/** The console should exit now (the Ink tree watches this). */
export function requestExit(store: WarroomStore): void {
  store.setState((s) => ({ audit: { ...s.audit, exitNow: true } }));
}

/** The ledger's health; a write only when it changed. Returns the previous view. */
export function setAuditHealth(store: WarroomStore, pending: number, error: string | undefined): AuditView {
  const a = store.getState().audit;
  if (a.pending === pending && a.error === error) return a;
  const next: AuditView = { ...a, pending };
  if (error) next.error = error;
  else delete next.error;
  store.setState({ audit: next });
  return a;
}

/** The sinks' health; a write only when it changed. */
export function setNotifyHealth(store: WarroomStore, sinks: NotifySinkView[]): void {
  const cur = store.getState().notify;
  if (cur && cur.length === sinks.length && cur.every((c, i) => c.name === sinks[i]!.name && c.failing === sinks[i]!.failing && c.dropped === sinks[i]!.dropped)) return;
  store.setState({ notify: sinks });
}

export function setBanner(store: WarroomStore, banner: WarroomState['banner']): void {
  store.setState({ banner });
}

export function actionInFlight(s: WarroomState): boolean {
  return s.actions.some((a) => a.state === 'running');
}

export function setOverrides(store: WarroomStore, overrides: OverrideView[]): void {
  store.setState({ overrides });
}
