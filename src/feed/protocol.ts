/** The status feed wire protocol (SPEC §3): one JSON object per text frame. */
import { depthExceeds } from './depth.js';

export const MAX_FRAME_BYTES = 64 * 1024;
/** Nesting limit of a frame, the frame object itself being level 1 (issue 11). */
export const MAX_FRAME_DEPTH = 64;

interface Base {
  seq: number;
  ts: string;
}
export interface StatusMsg extends Base { type: 'status'; key: string; value: unknown; detail?: string }
export interface AlertMsg extends Base {
  type: 'alert';
  id: string;
  severity: string;
  state: 'firing' | 'resolved' | string;
  summary?: string;
}
export interface InfluenceMsg extends Base { type: 'influence'; pct: number; actor?: string; reason?: string }
/** `line`: the signer's own signed ledger line; without it an ack is a claim that never counts. */
export interface AckMsg extends Base { type: 'ack'; role: string; actor: string; gate?: string; line?: unknown }
export interface DecisionMsg extends Base { type: 'decision'; decision: string; actor: string; id: string }
/** `trigger`: a console announcing that its auto-rollback for that gate sent the kill. */
/** `kill`: a console announcing a phase of its kill-switch (the room's other consoles follow it). */
export interface EventMsg extends Base { type: 'event'; text: string; actor?: string; trigger?: string; kill?: KillPhaseNote }
export interface KillPhaseNote { key: string; phase: string; error?: string }
/**
 * SPEC §9.5 (a §3 gap: not in the contract's list): a console's override or waiver request, or
 * an approval of one, carrying its own signed ledger line; without a valid signature it is a claim.
 */
export interface OverrideMsg extends Base { type: 'override'; action: 'request' | 'approve'; id: string; actor: string; line?: unknown }
export type FeedMessage = StatusMsg | AlertMsg | InfluenceMsg | AckMsg | DecisionMsg | EventMsg | OverrideMsg;
export type FeedType = FeedMessage['type'];
export const FEED_TYPES: readonly FeedType[] = ['status', 'alert', 'influence', 'ack', 'decision', 'event', 'override'];

/** What a console sends: `resume` after (re)connecting, and its own actions (no seq: the server assigns it). */
export interface ResumeMsg { type: 'resume'; after: number }
export type Publishable = Omit<InfluenceMsg, 'seq'> | Omit<AckMsg, 'seq'> | Omit<DecisionMsg, 'seq'> | Omit<EventMsg, 'seq'> | Omit<OverrideMsg, 'seq'>;

/** Why a frame was dropped; these names are what the screen shows beside the drop count. */
export type DropReason = 'oversize' | 'too_deep' | 'not_json' | 'not_object' | 'unknown_type' | 'bad_seq' | 'invalid';
export type ParseResult = { ok: true; msg: FeedMessage } | { ok: false; reason: DropReason };

const str = (v: unknown) => typeof v === 'string';
const num = (v: unknown) => typeof v === 'number' && Number.isFinite(v);

/** Validates one frame; anything malformed is rejected with a reason (and counted by the caller). */
export function parseFrame(data: string | Buffer): ParseResult {
  const bytes = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
  if (bytes > MAX_FRAME_BYTES) return { ok: false, reason: 'oversize' };
  let obj: unknown;
  try {
    obj = JSON.parse(typeof data === 'string' ? data : data.toString('utf8'));
  } catch {
    return { ok: false, reason: 'not_json' };
  }
  if (depthExceeds(obj, MAX_FRAME_DEPTH)) return { ok: false, reason: 'too_deep' };
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return { ok: false, reason: 'not_object' };
  const m = obj as Record<string, unknown>;
  if (!FEED_TYPES.includes(m.type as FeedType)) return { ok: false, reason: 'unknown_type' };
  // Whole and positive; its size is the sequence tracker's business (a jump is a restart).
  if (!num(m.seq) || !Number.isInteger(m.seq) || (m.seq as number) < 1) return { ok: false, reason: 'bad_seq' };
  if (!str(m.ts)) return { ok: false, reason: 'invalid' };
  switch (m.type) {
    case 'status': if (!str(m.key)) return { ok: false, reason: 'invalid' }; break;
    case 'alert': if (!str(m.id) || !str(m.severity) || !str(m.state)) return { ok: false, reason: 'invalid' }; break;
    case 'influence': if (!num(m.pct)) return { ok: false, reason: 'invalid' }; break;
    case 'ack': if (!str(m.role) || !str(m.actor)) return { ok: false, reason: 'invalid' }; break;
    case 'decision': if (!str(m.decision) || !str(m.actor)) return { ok: false, reason: 'invalid' }; break;
    case 'event': if (!str(m.text)) return { ok: false, reason: 'invalid' }; break;
    case 'override': if ((m.action !== 'request' && m.action !== 'approve') || !str(m.id) || !str(m.actor)) return { ok: false, reason: 'invalid' }; break;
  }
  return { ok: true, msg: m as unknown as FeedMessage };
}
