/**
 * Connecting to the room's NATS servers and making sure the room's stream and buckets exist
 * (SPEC §10.1). Reconnects for as long as the console runs. Errors name no credential.
 */
import { connect, credsAuthenticator, type NatsConnection, type NodeConnectionOptions } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { readFile } from 'node:fs/promises';
import type { NatsConfig } from '../config/sections/roomNats.js';
import type { RoomNames } from './names.js';

/** At least 2 minutes (SPEC §10.1); in nanoseconds as JetStream wants it. */
export const DUPLICATE_WINDOW_NS = 2 * 60 * 1e9;
/** Presence and speaker entries expire after this unless renewed. */
export const LIVE_TTL_MS = 15_000;

export async function connectionOptions(n: NatsConfig, clientName: string): Promise<NodeConnectionOptions> {
  const o: NodeConnectionOptions = {
    servers: n.servers,
    name: clientName,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1000,
    waitOnFirstConnect: true,
    pingInterval: 5000,
    maxPingOut: 2,
    // Our own room frames are not news to us.
    noEcho: true,
  };
  if (n.user !== undefined) {
    o.user = n.user;
    o.pass = n.password ?? '';
  }
  if (n.token !== undefined) o.token = n.token;
  if (n.creds !== undefined) o.authenticator = credsAuthenticator(await readFile(n.creds));
  if (n.tls) o.tls = { ...(n.tls.ca ? { caFile: n.tls.ca } : {}), ...(n.tls.cert ? { certFile: n.tls.cert } : {}), ...(n.tls.key ? { keyFile: n.tls.key } : {}) };
  return o;
}

export async function openConnection(n: NatsConfig, clientName: string): Promise<NatsConnection> {
  return connect(await connectionOptions(n, clientName));
}

export interface RoomHandles {
  js: JetStreamClient;
  jsm: JetStreamManager;
  kills: KV;
  live: KV;
}

/** The stream (deny delete and purge, dedupe window, file storage) and the two buckets; created if missing. */
export async function ensureRoom(nc: NatsConnection, n: NatsConfig, names: RoomNames): Promise<RoomHandles> {
  const jsm = await jetstreamManager(nc);
  const want = {
    name: names.stream,
    subjects: [names.ledgerWildcard],
    deny_delete: true,
    deny_purge: true,
    duplicate_window: DUPLICATE_WINDOW_NS,
    storage: 'file' as const,
    num_replicas: n.replicas,
  };
  try {
    const info = await jsm.streams.info(names.stream);
    // An existing stream that allows deletes is not the room's audit stream: say so, never weaken it further.
    if (!info.config.deny_delete || !info.config.deny_purge) throw new Error(`stream ${names.stream} exists but allows deletes or purges`);
  } catch (e) {
    if (!/not found/i.test((e as Error).message)) throw e;
    await jsm.streams.add(want as never);
  }
  const js = jetstream(nc);
  const kvm = new Kvm(js);
  const kills = await kvm.create(names.bucket, { replicas: n.replicas, history: 1 });
  const live = await kvm.create(names.liveBucket, { replicas: n.replicas, history: 1, ttl: LIVE_TTL_MS });
  return { js, jsm, kills, live };
}
