/** `audit:` (where the ledgers go) and `room:` (signing keys), paths resolved against the config's dir. */
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { auditSchema, roomSchema } from '../schema.js';
import type { RoomConfig } from '../types.js';
import type { BuildContext } from './context.js';
import { buildNats, natsSchema } from './roomNats.js';

/** `~/.ssh/id_ed25519` as people write it in YAML. */
function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? homedir() + p.slice(1) : p;
}

export function buildAuditDir(ctx: BuildContext): string {
  const raw = ctx.section('audit');
  const au = raw === undefined ? undefined : ctx.parseAt(auditSchema, raw, ['audit']);
  return resolve(ctx.where.baseDir, au?.dir ? au.dir : 'artifacts/audit');
}

export function buildRoom(ctx: BuildContext, deploymentName?: string): RoomConfig {
  const room: RoomConfig = {};
  const raw = ctx.section('room');
  if (raw === undefined) return room;
  const r = ctx.parseAt(roomSchema, raw, ['room']);
  if (r?.allowed_signers) room.allowedSigners = resolve(ctx.where.baseDir, expandHome(r.allowed_signers));
  if (r?.signing_key) room.signingKey = resolve(ctx.where.baseDir, expandHome(r.signing_key));
  // room.nats: its own module (roomNats.ts), validated on its own like every section.
  if (r?.nats !== undefined && r.nats !== null) {
    const n = ctx.parseAt(natsSchema, r.nats, ['room', 'nats']);
    if (n && deploymentName !== undefined) room.nats = buildNats(n, deploymentName, ctx.where.baseDir);
  }
  return room;
}
