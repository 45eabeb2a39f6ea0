/**
 * The room's names on NATS (SPEC §10.1), pure. An actor name is never put in a subject or a
 * KV key as typed: every byte outside [A-Za-z0-9_-] becomes `=XX` (hex), so `.`, `*`, `>`,
 * spaces and control characters cannot add tokens or wildcards, and the mapping stays one to one.
 */
import { createHash } from 'node:crypto';
import type { NatsConfig } from '../config/sections/roomNats.js';

/** Longest escaped token; NATS has no hard limit, but a subject is not a place for an essay. */
const MAX_TOKEN = 256;

export function escapeToken(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9_-]/.test(c) ? c : `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  // A very long name keeps a readable head and a digest of the whole (`=H` is no escape: H is not hex).
  if (out.length > MAX_TOKEN) out = `${out.slice(0, MAX_TOKEN - 34).replace(/=[0-9A-F]?$/, '')}=H${createHash('sha256').update(s).digest('hex').slice(0, 32)}`;
  return out || '=';
}

export function unescapeToken(t: string): string {
  if (t === '=') return '';
  const bytes: number[] = [];
  for (let i = 0; i < t.length; i++) {
    if (t[i] === '=' && /^[0-9A-F]{2}$/.test(t.slice(i + 1, i + 3))) {
      bytes.push(parseInt(t.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(t.charCodeAt(i) & 0xff);
  }
  return Buffer.from(bytes).toString('utf8');
}

export interface RoomNames {
  room: string;
  stream: string;
  /** Kill claims (no expiry). */
  bucket: string;
  /** Presence and the speaker key: entries expire (bucket-wide TTL; per-key TTLs need NATS 2.11). */
  liveBucket: string;
  ledgerSubject(actor: string): string;
  ledgerWildcard: string;
  roomSubject: string;
}

export function roomNames(n: Pick<NatsConfig, 'room'>): RoomNames {
  const r = n.room;
  return {
    room: r,
    stream: `WARROOM_${r.toUpperCase()}`,
    bucket: `warroom_${r}`,
    liveBucket: `warroom_${r}_live`,
    ledgerSubject: (actor) => `warroom.${r}.ledger.${escapeToken(actor)}`,
    ledgerWildcard: `warroom.${r}.ledger.>`,
    roomSubject: `warroom.${r}.room`,
  };
}

/** The actor a ledger subject names, or undefined when the subject is not one of the room's. */
export function actorOfSubject(names: RoomNames, subject: string): string | undefined {
  const prefix = `warroom.${names.room}.ledger.`;
  if (!subject.startsWith(prefix)) return undefined;
  const tok = subject.slice(prefix.length);
  return tok.includes('.') ? undefined : unescapeToken(tok);
}

export const presenceKey = (actor: string) => `presence.${escapeToken(actor)}`;
export const killKey = (idempotencyKey: string) => `kill.${escapeToken(idempotencyKey)}`;
export const SPEAKER_KEY = 'speaker';
