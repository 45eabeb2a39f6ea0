/** Reads the room's whole stream once (for `check`, `audit verify`, `report` with --room). */
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NatsConfig } from '../config/sections/roomNats.js';
import { redact } from '../util/redact.js';
import { connectionOptions } from './connect.js';
import { roomNames, type RoomNames } from './names.js';
import type { StreamMsg } from './chains.js';

export class RoomReadError extends Error {}

export async function readRoomStream(n: NatsConfig, secrets: readonly string[], clientName = 'warroom reader'): Promise<{ names: RoomNames; msgs: StreamMsg[] }> {
  const names = roomNames(n);
  const opts = { ...(await connectionOptions(n, clientName)), waitOnFirstConnect: false, maxReconnectAttempts: 0, reconnect: false, timeout: 5000 };
  let nc;
  try {
    nc = await connect(opts);
  } catch (e) {
    throw new RoomReadError(redact(`cannot reach the room's NATS servers (${n.servers.join(', ')}): ${(e as Error).message}`, secrets, 1));
  }
  try {
    const jsm = await jetstreamManager(nc);
    let info;
    try {
      info = await jsm.streams.info(names.stream);
    } catch (e) {
      throw new RoomReadError(/not found/i.test((e as Error).message) ? `the room's stream ${names.stream} does not exist (no console of the room has connected yet)` : redact((e as Error).message, secrets, 1));
    }
    const msgs: StreamMsg[] = [];
    if (info.state.messages === 0) return { names, msgs };
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const m = await jsm.streams.getMessage(names.stream, { seq }).catch(() => null);
      if (m) msgs.push({ seq: m.seq, subject: m.subject, data: m.string() });
    }
    return { names, msgs };
  } finally {
    await nc.close().catch(() => {});
  }
}
