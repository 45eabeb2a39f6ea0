/**
 * `room.nats` (the room on NATS JetStream): the schema fragment and its normalization, kept
 * apart from build.ts so the section can move with the config split. Credentials are secrets:
 * every one is added to the config's secrets, whether it came from the environment or not.
 */
import { resolve } from 'node:path';
import { homedir } from 'node:os';
import * as z from '../z.js';

const nonEmpty = z.string().min(1, 'must not be empty');
const URL_RE = /^(nats|tls|wss?):\/\/[^\s/]+(?::\d+)?\/?$|^[^\s:/]+:\d+$/;
const server = nonEmpty.regex(URL_RE, 'a server is nats://HOST:PORT (or tls://, ws://, wss://, HOST:PORT)');

export const natsSchema = z
  .strictObject({
    servers: z.union([server, z.array(server).min(1, 'list at least one server')]),
    name: nonEmpty.max(200, 'at most 200 characters').optional(),
    replicas: z.number().int('must be a whole number').min(1, 'must be 1 or more').max(5, 'must be at most 5').optional(),
    user: nonEmpty.optional(),
    password: nonEmpty.optional(),
    token: nonEmpty.optional(),
    creds: nonEmpty.optional(),
    tls: z.strictObject({ ca: nonEmpty.optional(), cert: nonEmpty.optional(), key: nonEmpty.optional() }).optional(),
  })
  .superRefine((v, ctx) => {
    const ways = [v.user !== undefined || v.password !== undefined, v.token !== undefined, v.creds !== undefined].filter(Boolean).length;
    if (ways > 1) ctx.addIssue({ code: 'custom', message: 'choose one way to log in: user/password, token or creds' });
    if ((v.user === undefined) !== (v.password === undefined)) ctx.addIssue({ code: 'custom', message: 'user and password go together', path: [v.user === undefined ? 'user' : 'password'] });
    if (v.tls && (v.tls.cert === undefined) !== (v.tls.key === undefined)) ctx.addIssue({ code: 'custom', message: 'tls cert and key go together', path: ['tls'] });
  });

export type RawNats = z.output<typeof natsSchema>;

/** Keys of the section, for "did you mean" hints. */
export const NATS_KEYS: readonly string[] = ['nats', 'servers', 'replicas', 'user', 'password', 'token', 'creds', 'tls', 'ca', 'cert', 'key'];

export interface NatsConfig {
  servers: string[];
  /** The room's name as configured (default deployment.name). */
  name: string;
  /** `name` with every character outside [A-Za-z0-9_-] replaced by `_`: the subject token. */
  room: string;
  replicas: number;
  user?: string;
  password?: string;
  token?: string;
  /** Absolute paths. */
  creds?: string;
  tls?: { ca?: string; cert?: string; key?: string };
}

export const roomToken = (name: string): string => name.replace(/[^A-Za-z0-9_-]/g, '_');

const expandHome = (p: string) => (p === '~' ? homedir() : p.startsWith('~/') ? homedir() + p.slice(1) : p);

/** Normalizes a parsed `room.nats`; paths are resolved against the config's directory. */
export function buildNats(raw: RawNats, deploymentName: string, baseDir: string): NatsConfig {
  const path = (p: string) => resolve(baseDir, expandHome(p));
  const name = raw.name ?? deploymentName;
  const out: NatsConfig = { servers: typeof raw.servers === 'string' ? [raw.servers] : [...raw.servers], name, room: roomToken(name), replicas: raw.replicas ?? 1 };
  if (raw.user !== undefined) out.user = raw.user;
  if (raw.password !== undefined) out.password = raw.password;
  if (raw.token !== undefined) out.token = raw.token;
  if (raw.creds !== undefined) out.creds = path(raw.creds);
  if (raw.tls) {
    out.tls = {};
    if (raw.tls.ca) out.tls.ca = path(raw.tls.ca);
    if (raw.tls.cert) out.tls.cert = path(raw.tls.cert);
    if (raw.tls.key) out.tls.key = path(raw.tls.key);
  }
  return out;
}

/**
 * What must never be shown: the password and token even when written inline (environment
 * values are secrets already). The user name is not: it is often an actor's name, which the
 * screen must show. A server URL may carry `user:pass@`.
 */
export function natsSecrets(n: NatsConfig | undefined): string[] {
  if (!n) return [];
  const out = [n.password, n.token].filter((s): s is string => !!s);
  for (const s of n.servers) {
    const m = /^[a-z]+:\/\/([^@/]+)@/.exec(s);
    const pass = m?.[1]!.split(':').slice(1).join(':');
    if (m && pass) out.push(m[1]!, pass);
  }
  return out;
}
