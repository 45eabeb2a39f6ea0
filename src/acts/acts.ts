/**
 * The room's recorded acts: decisions, sign-offs, waivers, checkpoint acks, trigger lines and
 * notes. Every one passes `recordAct`, the one place where rights are checked (SPEC §9.1),
 * the ledger line is written (and signed by the ledger's key), the act is published to the
 * feed, and the event log and notice say what happened — or why it was refused.
 * The http/argv action pipeline (kill-switch, influence) is actionRunner's.
 */
import { randomUUID } from 'node:crypto';
import type { Approver, RequestLine, Tally } from '../audit/approvals.js';
import { canonicalJson, sha256Tagged } from '../audit/canonical.js';
import type { Ledger } from '../audit/ledger.js';
import { recordDecision } from '../audit/decisionFile.js';
import { describeTarget, INVALIDATABLE_TYPES, judgeInvalidations } from '../audit/authority.js';
import type { AllowedSigner } from '../audit/sshsig.js';
import type { AppendInput, LedgerLine, OverrideSummary } from '../audit/types.js';
import type { ApprovalRule } from '../config/types.js';
import type { Clock } from '../core/clock.js';
import { gateMetadata, toCriteria } from '../engine/criteria.js';
import type { Publishable } from '../feed/protocol.js';
import { actRefusal, type Act, type ActTarget } from '../flows/permissions.js';
import { setNotice, type Notice } from '../store/store.js';
import type { EventEntry } from '../store/store.js';
import { actorOf } from '../viewmodel/flowContext.js';
import { MAX_INVALIDATE_TARGETS } from '../flows/invalidateFlow.js';
import { actHash } from '../audit/judge.js';
import type { InvalidateTarget } from '../flows/types.js';
import { MAX_FRAME_BYTES } from '../feed/protocol.js';
import { frameBytes, kib, requestFrameBytes, requestSnapshot } from './requestSize.js';
import { whenText } from './requestStanding.js';
import type { Session } from '../session/session.js';

export interface ActSpec {
  /** What the act needs the right for; absent for lines the console writes on its own (notes). */
  right?: Act;
  /** For `approve`: the roles the request's rule names. */
  approverRoles?: readonly string[];
  /** For messages: "decision", "sign-off", … */
  what: string;
  line: AppendInput;
  /** What the room sees on the feed, given the written line. */
  publish?: (line: LedgerLine) => Publishable;
  event?: Pick<EventEntry, 'kind' | 'level' | 'text'>;
  notice?: Pick<Notice, 'text' | 'level'>;
}

/**
 * Says so when this console's actor may not perform `right` (SPEC §9.1): the notice and the
 * event log, for a key, a trigger or a timer alike. True when refused.
 */
export function refuseAct(session: Session, right: Act, what: string, target?: ActTarget): boolean {
  const why = actRefusal(right, actorOf(session.store.getState()), target);
  if (!why) return false;
  tellRefused(session, what, why);
  return true;
}

function tellRefused(session: Session, what: string, why: string): void {
  setNotice(session.store, `${what} refused: ${why}`, 'warn');
  session.live.event({ kind: 'action', level: 'warn', text: `${what} refused: ${why}` });
}

export class Acts {
  private targets: { count: number; list: InvalidateTarget[] } | undefined;
  /** room.allowed_signers when configured: an invalidation no listed key signed hides nothing from the palette. */
  signers: readonly AllowedSigner[] | undefined;
  constructor(
    private readonly session: Session,
    private readonly ledger: Ledger | undefined,
    private readonly clock: Clock,
  ) {}

  private get store() {
    return this.session.store;
  }
  private get actor() {
    return this.session.opts.actor;
  }

  /** Why this console may not record `spec` now, or undefined. */
  refusal(spec: Pick<ActSpec, 'right' | 'approverRoles'>): string | undefined {
    const s = this.store.getState();
    if (spec.right) {
      const why = actRefusal(spec.right, actorOf(s), spec.approverRoles ? { roles: spec.approverRoles } : {});
      if (why) return why;
    } else if (s.readOnly || s.mode === 'replay') return 'this console does not write the audit trail';
    if (!this.ledger) return 'the audit trail is unavailable';
    return undefined;
  }

  /** Checks, writes, publishes and tells; returns the line, or undefined when refused (and says why). */
  record(spec: ActSpec): LedgerLine | undefined {
    const why = this.refusal(spec);
    if (why && spec.right) {
      tellRefused(this.session, spec.what, why);
      return undefined;
    }
    if (why) {
      // What the console saw on its own (a trigger, a note) is still shown; only the line is not written.
      if (spec.event) this.session.live.event(spec.event);
      return undefined;
    }
    const line = this.ledger!.append(spec.line);
    if (spec.publish) this.publishChecked(spec.what, spec.publish(line));
    if (spec.event) this.session.live.event(spec.event);
    if (spec.notice) setNotice(this.store, spec.notice.text, spec.notice.level);
    return line;
  }

  /** The room drops a frame over the feed's limit unseen: such a frame is not sent, and that is said. */
  private publishChecked(what: string, frame: Publishable): void {
    const bytes = frameBytes(frame);
    if (bytes <= MAX_FRAME_BYTES) return this.session.publish(frame);
    const text = `${what} recorded here but NOT sent to the room: ${kib(bytes)} is over the feed's ${kib(MAX_FRAME_BYTES)} frame limit`;
    this.session.live.event({ kind: 'action', level: 'error', text });
    setNotice(this.store, text, 'error');
  }

  private iso(ms = this.clock.now()): string {
    return new Date(ms).toISOString();
  }

  signoff(role: string, gate?: string): void {
    const roles = this.session.opts.config.roles;
    if (roles && !(roles[role] ?? []).includes(this.actor)) {
      setNotice(this.store, `sign-off refused: ${this.actor} does not hold role ${role}`, 'warn');
      return;
    }
    this.record({
      right: 'signoff',
      what: 'sign-off',
      line: { type: 'signoff', role, ...(gate ? { gate } : {}), actor: this.actor },
      // The signed line travels with the ack: other consoles count it only if its signature checks.
      publish: (line) => ({ type: 'ack', ts: this.iso(), role, actor: this.actor, ...(gate ? { gate } : {}), line }),
      event: { kind: 'action', level: 'ok', text: `signed off ${gate ?? 'the decision'} as ${role} (${this.actor})` },
      notice: { text: `signed off as ${role}`, level: 'ok' },
    });
  }

  waive(w: { gate: string; reason: string; expires: number }): void {
    const rule = this.session.opts.config.waiver?.approvals;
    // With waiver.approvals the waiver is only asked for here; it is written once approved.
    if (rule) return void this.request('waiver', w.reason, rule, { gate: w.gate, waiver_expires: this.iso(w.expires) });
    this.writeWaiver(w);
  }

  private writeWaiver(w: { gate: string; reason: string; expires: number }, approvals?: OverrideSummary): void {
    const role = this.store.getState().role;
    const until = this.iso(w.expires);
    this.record({
      right: 'waive',
      what: 'waiver',
      line: { type: 'waiver', gate: w.gate, reason: w.reason, expires: until, actor: this.actor, ...(role ? { role } : {}), ...(approvals ? { approvals } : {}) },
      publish: () => ({ type: 'event', ts: this.iso(), text: `waived ${w.gate} until ${until}: ${w.reason}`, actor: this.actor }),
      event: { kind: 'action', level: 'warn', text: `waived ${w.gate} until ${until.slice(11, 16)}Z: ${w.reason}${approvals ? ` (approved by ${approvals.approvers.map((a) => a.actor).join(', ')})` : ''}` },
      notice: { text: `waived ${w.gate}`, level: 'ok' },
    });
  }

  /**
   * What the palette's invalidate offers: this ledger's decisions, sign-offs and waivers of this
   * deployment that no invalidation here that counts names yet, newest first. The act checks again.
   */
  invalidatable(): InvalidateTarget[] {
    if (!this.ledger) return [];
    const lines = this.ledger.lines();
    // Asked on every key (the flow context): computed again only when the ledger grew.
    if (this.targets?.count === lines.length) return this.targets.list;
    const deployment = this.session.opts.config.deployment.name;
    const roles = this.session.opts.config.roles;
    // Only invalidations that count (the one judge) remove a target, named by its act.
    const gone = judgeInvalidations(this.ledger.chained(), { deployment, ...(roles ? { roles } : {}), ...(this.signers ? { signers: this.signers } : {}), now: this.clock.now() }).counted;
    const out: InvalidateTarget[] = [];
    for (let i = lines.length - 1; i >= 0 && out.length < MAX_INVALIDATE_TARGETS; i--) {
      const l = lines[i]!;
      if (!INVALIDATABLE_TYPES.includes(l.type) || gone.has(actHash(l)) || l.deployment !== deployment) continue;
      const at = l.ts.slice(11, 16);
      out.push({ file: this.ledger.file, line: l.seq, hash: l.hash, label: `${describeTarget(l)} by ${l.actor} at ${at}Z (${this.ledger.file}:${l.seq})` });
    }
    this.targets = { count: lines.length, list: out };
    return out;
  }

  /**
   * Marks an earlier decision, sign-off or waiver line invalid (SPEC §9.5): rights are checked
   * by `record`; the target must be a line this console can see in its chain, of a type that
   * may be invalidated. Nothing is deleted; every reader ignores the target from then on.
   */
  invalidate(target: { file: string; line: number; hash: string }, reason: string): LedgerLine | undefined {
    const why = this.refusal({ right: 'invalidate' });
    if (why) {
      tellRefused(this.session, 'invalidation', why);
      return undefined;
    }
    const found = this.ledger!.lines().find((l) => l.hash === target.hash);
    const bad = !found
      ? `no line with hash ${target.hash.slice(0, 19)}… in ${this.ledger!.file}`
      : found.type === 'invalidate'
        ? 'an invalidation cannot be invalidated'
        : !INVALIDATABLE_TYPES.includes(found.type)
          ? `a ${found.type} line cannot be invalidated`
          : reason.trim() === ''
            ? 'a reason is required'
            : undefined;
    if (bad) {
      tellRefused(this.session, 'invalidation', bad);
      return undefined;
    }
    const role = this.store.getState().role;
    const what = describeTarget(found!);
    return this.record({
      right: 'invalidate',
      what: 'invalidation',
      // Named by its act (the original signed line), so every copy of it goes, wherever it sits.
      line: { type: 'invalidate', target: { ...target, act: actHash(found!) }, reason, actor: this.actor, ...(role ? { role } : {}) },
      publish: () => ({ type: 'event', ts: this.iso(), text: `invalidated ${target.file}:${target.line} (${what} by ${found!.actor}): ${reason}`, actor: this.actor }),
      event: { kind: 'action', level: 'warn', text: `invalidated ${target.file}:${target.line} (${what} by ${found!.actor}): ${reason}` },
      notice: { text: `invalidated ${what}`, level: 'ok' },
    });
  }

  /** The criteria as the decision record lists them, from the store now. */
  private criteria() {
    const s = this.store.getState();
    const cfg = s.config;
    return toCriteria(cfg.gates, s.gates).map((c, i) => {
      const observed = s.gates[cfg.gates[i]!.id]?.observedAt;
      const judged = c.judgment ? { value_text: c.value_text!, judgment: c.judgment } : {};
      return { id: c.id, title: c.title, group: c.group, severity: c.severity, status: c.status, value: c.value, threshold: c.threshold, ...(observed !== undefined ? { observedAt: observed } : {}), ...gateMetadata(cfg.gates[i]!), ...judged };
    });
  }

  /** GO while NO-GO with decision.override: a signed request the room approves (SPEC §9.5). */
  requestOverride(justification: string): void {
    const rule = this.session.opts.config.decision.override;
    if (!rule) return tellRefused(this.session, 'override request', 'decision.override is not configured');
    // One open override at a time: approvers must know which GO they are approving.
    const open = this.store.getState().overrides.find((o) => o.kind === 'go' && o.state === 'pending');
    if (open) return tellRefused(this.session, 'override request', `request ${open.id.slice(0, 8)} by ${open.requestedBy} is still open`);
    this.request('go', justification, rule, { decision: 'GO' });
  }

  private request(kind: RequestLine['kind'], justification: string, rule: ApprovalRule, extra: Partial<RequestLine>): LedgerLine | undefined {
    const s = this.store.getState();
    const now = this.clock.now();
    const criteria = requestSnapshot(this.criteria(), (ms) => this.iso(ms));
    const overridden = kind === 'waiver' ? [extra.gate!] : criteria.filter((c) => c.severity === 'critical' && c.status !== 'PASS' && c.status !== 'WAIVED').map((c) => c.id);
    const id = randomUUID();
    const expires = this.iso(now + rule.expiresMs);
    const what = kind === 'go' ? 'override request' : 'waiver request';
    const need = `${rule.count} approval${rule.count === 1 ? '' : 's'} from ${rule.roles.join('/')}`;
    const line = {
      type: 'override.request',
      id,
      kind,
      justification,
      overall: s.overall.overall,
      criteria_hash: sha256Tagged(canonicalJson(criteria)),
      overridden,
      expires,
      needs: { roles: rule.roles, count: rule.count },
      ...extra,
      criteria,
      actor: this.actor,
      ...(s.role ? { role: s.role } : {}),
    } as AppendInput;
    // Approvers only see what reaches them on the feed: a request too large for one frame is never made.
    const bytes = requestFrameBytes({ type: 'override', ts: this.iso(now), action: 'request', id, actor: this.actor, line });
    if (bytes > MAX_FRAME_BYTES) {
      return void tellRefused(this.session, what, `it would be ${kib(bytes)}, over the room feed's ${kib(MAX_FRAME_BYTES)} frame limit (${criteria.length} gates): no approver could see it; nothing was recorded or sent`);
    }
    return this.record({
      right: kind === 'go' ? 'decision' : 'waive',
      what,
      line,
      publish: (line) => ({ type: 'override', ts: this.iso(), action: 'request', id, actor: this.actor, line }),
      event: { kind: 'decision', level: 'warn', text: `${kind === 'go' ? 'OVERRIDE' : `WAIVER of ${extra.gate}`} REQUESTED by ${this.actor} (${id.slice(0, 8)}): needs ${need}, expires ${whenText(now + rule.expiresMs, now)}: ${justification}` },
      notice: { text: `${what} ${id.slice(0, 8)}: needs ${need} by ${whenText(now + rule.expiresMs, now)}`, level: 'warn' },
    });
  }

  /** `o`: this console's signed approval of an open request. */
  approve(req: RequestLine, rule: ApprovalRule, expired: boolean): void {
    if (expired) return tellRefused(this.session, 'approval', `request ${req.id.slice(0, 8)} has expired`);
    this.record({
      right: 'approve',
      approverRoles: rule.roles,
      what: 'approval',
      line: { type: 'override.approve', request: req.id, kind: req.kind, requested_by: req.actor, criteria_hash: req.criteria_hash, actor: this.actor, ...(this.store.getState().role ? { role: this.store.getState().role! } : {}) },
      publish: (l) => ({ type: 'override', ts: this.iso(), action: 'approve', id: req.id, actor: this.actor, line: l }),
      event: { kind: 'decision', level: 'ok', text: `approved ${req.kind === 'go' ? 'override' : `waiver of ${req.gate}`} ${req.id.slice(0, 8)} requested by ${req.actor}` },
      notice: { text: `approved request ${req.id.slice(0, 8)}`, level: 'ok' },
    });
  }

  /** The requesting console, once the count is in: the GO record, or the waiver itself. */
  completeRequest(req: RequestLine, tally: Tally): void {
    const summary: OverrideSummary = {
      request: req.id,
      requested_by: req.actor,
      requested_at: req.ts,
      expires: new Date(tally.expires).toISOString(),
      justification: String(req.justification),
      criteria_hash: req.criteria_hash,
      overridden: req.overridden,
      approvers: tally.counted.map((a: Approver) => ({ actor: a.actor, role: a.role, at: new Date(a.at).toISOString(), line_hash: a.line_hash })),
    };
    const names = summary.approvers.map((a) => `${a.actor} (${a.role})`).join(', ');
    if (req.kind === 'waiver') {
      const expires = Date.parse(req.waiver_expires ?? '');
      if (!req.gate || !Number.isFinite(expires)) return tellRefused(this.session, 'waiver', `request ${req.id.slice(0, 8)} names no gate or expiry`);
      this.writeWaiver({ gate: req.gate, reason: summary.justification, expires }, summary);
      return;
    }
    this.decision({ decision: 'GO', justification: summary.justification }, { ...summary, criteria: req.criteria ?? [] });
    this.session.live.event({ kind: 'decision', level: 'ok', text: `OVERRIDE ${req.id.slice(0, 8)} COMPLETE: GO recorded with ${summary.approvers.length}/${tally.need} approvals: ${names}` });
  }

  /** The decision line and its record file go together (recordDecision), so this act writes through it. */
  /**
   * The decision line and its record file go together (recordDecision), so this act writes through
   * it. `override`: a GO over a NO-GO light, completed by the room's approvals (SPEC §9.5).
   */
  decision(d: { decision: 'GO' | 'NO-GO' | 'HOLD'; justification: string; nextReview?: number }, override?: OverrideSummary & { criteria: unknown[] }): void {
    const why = this.refusal({ right: 'decision' });
    if (why) return tellRefused(this.session, 'decision', why);
    const s = this.store.getState();
    const cfg = s.config;
    const criteria = this.criteria();
    const now = this.clock.now();
    const stage = s.ramp && s.ramp.stageIndex >= 0 ? s.ramp.stageIndex + 1 : null;
    const rec = recordDecision(
      this.ledger!,
      cfg.audit.dir,
      {
        at: now,
        deployment: cfg.deployment.name,
        environment: cfg.deployment.environment,
        decision: d.decision,
        decidedBy: this.actor,
        role: s.role ?? null,
        justification: d.justification,
        nextReview: d.nextReview ?? null,
        overall: s.overall.overall,
        influencePct: s.influence.pct ?? null,
        rampStage: stage,
        // Only sign-offs that count (SPEC §9.1) ever reach a record: the store holds no others.
        signoffs: s.signoffs,
        waivers: s.waivers.filter((w) => w.expires > now),
        criteria,
        ...(s.overall.score ? { score: s.overall.score } : {}),
        ...(override ? { override } : {}),
      },
      this.clock,
      (error) => {
        const text = `decision record NOT SAVED yet (retrying; quitting writes it to a rescue file): ${error}`;
        this.session.live.event({ kind: 'decision', level: 'error', text });
        setNotice(this.store, text, 'error');
      },
    );
    this.session.publish({ type: 'decision', ts: this.iso(now), decision: d.decision, actor: this.actor, id: rec.record.id });
    this.session.live.event({ kind: 'decision', level: d.decision === 'GO' ? 'ok' : 'warn', text: `decision ${d.decision}${override ? ' (OVERRIDE)' : ''} recorded by ${this.actor}: ${d.justification}` });
    setNotice(this.store, override ? `OVERRIDE GO recorded: approved by ${override.approvers.map((a) => a.actor).join(', ')}` : `decision ${d.decision} recorded`, 'ok');
    rec.written.then(
      (path) => this.session.live.event({ kind: 'decision', level: 'info', text: `decision record written: ${path}` }),
      (err: Error) => this.session.live.event({ kind: 'decision', level: 'error', text: `decision record NOT written: ${err.message}` }),
    );
  }
}
