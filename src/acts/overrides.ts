/**
 * The room's override and waiver requests (SPEC §9.5), kept equal to what counts: requests
 * from this console's ledger and signed ones relayed on the feed; approvals from our ledger
 * and signed ones from the feed, judged by the one rule (audit/approvals.ts) and then recorded
 * here with the approver's line attached. The console that made a request completes it once
 * the count is in; nobody else does. Expired requests stay expired.
 */
import {
  expiryOf,
  judgeApproval,
  tallyApprovals,
  type ApprovalClaim,
  type ApprovalContext,
  type RequestLine,
  type Tally,
} from '../audit/approvals.js';
import { judgeLine, judgeSigned, signedRoom } from '../audit/judge.js';
import type { Ledger } from '../audit/ledger.js';
import type { LedgerLine } from '../audit/types.js';
import type { ApprovalRule } from '../config/types.js';
import { every, type Clock } from '../core/clock.js';
import type { OverrideMsg } from '../feed/protocol.js';
import { setNotice, setOverrides, type OverrideView } from '../store/store.js';
import { oneLine } from '../util/sanitize.js';
import { requestRefusal, whenText } from './requestStanding.js';
import type { Session } from '../session/session.js';
import { recordRemote } from './recordRemote.js';

export interface DeskCompletion {
  request: RequestLine;
  tally: Tally;
}

type Recorded = LedgerLine & { remote_line?: unknown; request?: unknown; override?: { request?: unknown }; approvals?: { request?: unknown } };

export class OverrideDesk {
  /** Signed requests seen on the feed from other consoles, by id. */
  private readonly remoteRequests = new Map<string, RequestLine>();
  /** Verdicts already told, so a re-sent frame is not logged twice. */
  private readonly said = new Set<string>();
  private readonly lastState = new Map<string, string>();
  /** Requests this console has started completing (the record is written once). */
  private readonly completing = new Set<string>();
  private readonly offs: (() => void)[] = [];
  /** Approvals from the feed that did not count (never recorded), per request: shown with why. */
  private readonly refused = new Map<string, { actor: string; why: string }[]>();

  constructor(
    private readonly session: Session,
    private readonly ledger: Ledger,
    private readonly clock: Clock,
    private readonly ctx: ApprovalContext,
    private readonly complete: (c: DeskCompletion) => void,
  ) {
    this.offs.push(ledger.on('change', () => this.sync()));
    this.offs.push(session.on('feed', ({ msg }) => (msg.type === 'override' ? this.onFeed(msg) : undefined)));
    // Expiry happens with no line written: the clock moves the state.
    this.offs.push(every(clock, 1000, () => this.sync()));
    this.sync();
  }

  dispose(): void {
    for (const off of this.offs) off();
  }

  private get me(): string {
    return this.session.opts.actor;
  }

  private get writes(): boolean {
    return !this.session.opts.readOnly && this.session.opts.mode !== 'replay';
  }

  ruleFor(kind: RequestLine['kind']): ApprovalRule | undefined {
    const cfg = this.session.opts.config;
    return kind === 'go' ? cfg.decision.override : cfg.waiver?.approvals;
  }

  /** Our own chained requests, then the verified remote ones; only those that stand (requestStanding.ts). */
  requests(): RequestLine[] {
    const now = this.clock.now();
    const own = this.ledger
      .chained()
      .filter((c) => c.inChain && c.line.type === 'override.request' && c.line.deployment === this.ctx.deployment)
      .map((c) => c.line as RequestLine)
      .filter((r) => {
        const why = requestRefusal(r, this.ctx, now);
        if (why) this.tellOwnRefused(r, why);
        return !why;
      });
    const ids = new Set(own.map((r) => r.id));
    return [...own, ...[...this.remoteRequests.values()].filter((r) => !ids.has(r.id))];
  }

  /** A request in our own ledger that does not stand (a rebuilt ledger, a console without a key): said once. */
  private tellOwnRefused(r: RequestLine, why: string): void {
    const k = `own:${r.hash}:${why}`;
    if (this.said.has(k)) return;
    this.said.add(k);
    this.session.live.event({ kind: 'decision', level: 'warn', text: `override request ${oneLine(String(r.id), 64).slice(0, 8)} by ${oneLine(r.actor, 64)} (${this.ledger.file}) not accepted: ${why}; ignored` });
  }

  request(id: string): RequestLine | undefined {
    return this.requests().find((r) => r.id === id);
  }

  /** Approvals in our ledger for `id`: our own, and remote ones recorded with their line. */
  private claims(id: string): ApprovalClaim[] {
    const out: ApprovalClaim[] = [];
    for (const { line, inChain } of this.ledger.chained()) {
      if (line.type !== 'override.approve') continue;
      const l = line as Recorded;
      if (l.remote_line !== undefined) {
        if ((l.remote_line as { request?: unknown }).request === id) out.push({ line: l.remote_line, remote: true, receivedAt: Date.parse(l.ts), inChain });
      } else if (l.request === id) out.push({ line: l, remote: false, inChain });
    }
    return out;
  }

  private completedIds(): Set<string> {
    const done = new Set<string>();
    const now = this.clock.now();
    for (const { line, inChain } of this.ledger.chained()) {
      // Only a decision or waiver that carries authority completes a request (a forged one must not block it).
      if (!inChain || (line.type !== 'decision' && line.type !== 'waiver') || !judgeLine(line, { signers: this.ctx.signers, now }).ok) continue;
      const l = line as Recorded;
      if (l.type === 'decision' && typeof l.override?.request === 'string') done.add(l.override.request);
      if (l.type === 'waiver' && typeof l.approvals?.request === 'string') done.add(l.approvals.request);
    }
    return done;
  }

  tally(req: RequestLine): Tally | undefined {
    const rule = this.ruleFor(req.kind);
    return rule ? tallyApprovals(req, this.claims(req.id), rule, this.ctx, this.clock.now()) : undefined;
  }

  private sync(): void {
    const views: OverrideView[] = [];
    const done = this.completedIds();
    for (const req of this.requests()) {
      const t = this.tally(req);
      if (!t) continue;
      const mine = req.actor === this.me && this.ledger.lines().some((l) => l.hash === req.hash);
      views.push({
        id: req.id,
        kind: req.kind,
        requestedBy: req.actor,
        requestedAt: Date.parse(req.ts),
        expires: t.expires,
        state: t.state,
        need: t.need,
        approvers: t.counted.map((a) => ({ actor: a.actor, role: a.role })),
        notCounted: [...t.notCounted.map((n) => ({ actor: n.actor, why: n.why })), ...(this.refused.get(req.id) ?? [])],
        overridden: Array.isArray(req.overridden) ? req.overridden.map(String) : [],
        ...(req.gate ? { gate: req.gate } : {}),
        justification: String(req.justification ?? ''),
      });
      this.tell(req, t);
      if (mine && this.writes && t.state === 'complete' && !done.has(req.id) && !this.completing.has(req.id)) {
        this.completing.add(req.id);
        // Outside the ledger's change listener: completing appends to the same ledger.
        queueMicrotask(() => this.complete({ request: req, tally: t }));
      }
    }
    views.sort((a, b) => b.requestedAt - a.requestedAt);
    const prev = this.session.store.getState().overrides;
    if (JSON.stringify(prev) !== JSON.stringify(views)) setOverrides(this.session.store, views);
  }

  /** The event log follows each request: approvals counted, expiry. */
  private tell(req: RequestLine, t: Tally): void {
    const key = `${t.state}:${t.counted.length}`;
    const before = this.lastState.get(req.id);
    if (before === key) return;
    this.lastState.set(req.id, key);
    if (before === undefined && t.state === 'pending' && t.counted.length <= 1) return; // the request's own line said it
    const what = `${req.kind === 'go' ? 'override' : `waiver of ${req.gate ?? '?'}`} ${req.id.slice(0, 8)} by ${oneLine(req.actor, 64)}`;
    if (t.state === 'expired') {
      this.session.live.event({ kind: 'decision', level: 'warn', text: `${what} EXPIRED with ${t.counted.length}/${t.need} approvals: it can never complete` });
      setNotice(this.session.store, `${what} expired (${t.counted.length}/${t.need})`, 'warn');
    } else if (t.state === 'pending') {
      const last = t.counted[t.counted.length - 1];
      this.session.live.event({ kind: 'decision', level: 'info', text: `${what}: ${t.counted.length}/${t.need} approvals${last ? ` (latest: ${oneLine(last.actor, 64)} as ${last.role})` : ''}` });
    }
  }

  private onFeed(m: OverrideMsg): void {
    const line = m.line as (LedgerLine & { sig?: string; request?: unknown }) | undefined;
    const hash = typeof line?.hash === 'string' ? line.hash : undefined;
    // Our own line echoed back by the server.
    if (hash && this.ledger.lines().some((l) => l.hash === hash)) return;
    if (m.action === 'request') return this.onRemoteRequest(m, line);
    const who = oneLine(m.actor, 64);
    const say = (why: string) => {
      const k = `${hash ?? m.id}:${why}`;
      if (this.said.has(k)) return;
      this.said.add(k);
      this.session.live.event({ kind: 'feed', level: 'warn', text: `approval of ${oneLine(m.id, 64).slice(0, 8)} by ${who} NOT COUNTED: ${why}` });
      setNotice(this.session.store, `approval by ${who} not counted: ${why}`, 'warn');
      const known = this.request(m.id);
      if (known) {
        // Bounded: a flood of bad frames must not grow the banner or memory without end.
        const list = this.refused.get(known.id) ?? [];
        if (list.length < 20 && !list.some((r) => r.actor === who && r.why === why)) list.push({ actor: who, why });
        this.refused.set(known.id, list);
        this.sync();
      }
    };
    if (!line || typeof line !== 'object') return say('unsigned (no signed ledger line attached)');
    if (line.actor !== m.actor || line.request !== m.id) return say('the frame differs from the signed line it carries');
    const req = this.request(m.id);
    if (!req) return say('for a request this console does not know');
    const rule = this.ruleFor(req.kind);
    if (!rule) return say('approvals are not configured here');
    const judged = judgeApproval({ line, remote: true, receivedAt: this.clock.now() }, req, rule, { ...this.ctx, now: this.clock.now() });
    if ('why' in judged) return say(judged.why);
    if (this.claims(req.id).some((c) => (c.line as { hash?: unknown }).hash === hash)) return;
    // Only a console that writes records it; a read-only one shows what it can verify.
    if (!this.writes) return;
    recordRemote(this.ledger, { type: 'override.approve', request: req.id, kind: req.kind, requested_by: req.actor, criteria_hash: req.criteria_hash, actor: line.actor }, line, this.me);
    this.session.live.event({ kind: 'feed', level: 'ok', text: `signed approval of ${req.id.slice(0, 8)} by ${who} verified (remote:${who}) and recorded` });
  }

  /** A remote request is shown (and may be approved) only with a valid signature by its actor. */
  private onRemoteRequest(m: OverrideMsg, line: (LedgerLine & { sig?: string }) | undefined): void {
    const who = oneLine(m.actor, 64);
    const req = line as RequestLine | undefined;
    let why: string | undefined;
    if (!req || typeof req !== 'object' || req.type !== 'override.request') why = 'no signed request line attached';
    else if (req.actor !== m.actor || req.id !== m.id) why = 'the frame differs from the signed line it carries';
    else if (req.deployment !== this.ctx.deployment) why = `for deployment ${JSON.stringify(req.deployment)}`;
    else if (typeof req.sig !== 'string') why = 'unsigned';
    else if (!signedRoom(this.ctx)) why = 'no room.allowed_signers configured to check its signature';
    else {
      const v = judgeSigned(req, { signers: this.ctx.signers, now: this.clock.now() });
      if (!v.ok) why = v.why;
    }
    if (!why && req && !this.ruleFor(req.kind)) why = 'approvals are not configured here';
    const standing = why || !req ? undefined : requestRefusal(req, this.ctx, this.clock.now());
    if (why || standing) {
      const k = `req:${m.id}:${why ?? standing}`;
      if (this.said.has(k)) return;
      this.said.add(k);
      const verdict = why ? `unverified: ${why}` : `not accepted: ${standing}`;
      this.session.live.event({ kind: 'feed', level: 'warn', text: `override request ${oneLine(m.id, 64).slice(0, 8)} by ${who} ${verdict}; ignored` });
      return;
    }
    if (this.remoteRequests.has(req!.id)) return;
    this.remoteRequests.set(req!.id, req!);
    const rule = this.ruleFor(req!.kind)!;
    const exp = whenText(expiryOf(req!, rule), this.clock.now());
    this.session.live.event({ kind: 'decision', level: 'warn', text: `${req!.kind === 'go' ? 'OVERRIDE' : `WAIVER of ${req!.gate ?? '?'}`} REQUESTED by ${who} (signature verified): needs ${rule.count}, expires ${exp}: o approves` });
    this.sync();
  }
}
