import { describe, it, expect } from 'vitest';
import { loadConfigText, type LoadResult } from '../../src/config/load.js';
import { roomToken } from '../../src/config/sections/roomNats.js';

const BASE = `version: 1
deployment: { name: "rl policy/v42" }
sources: { p: { type: prometheus, url: "http://127.0.0.1:9090" } }
gates: [{ id: g, title: G, source: p, query: up, go: "== 1" }]
`;
const load = (room: string, env: Record<string, string> = {}): LoadResult => loadConfigText(BASE + room, { file: '/tmp/h/warroom.yaml', env });

describe('room.nats', () => {
  it('absent: nothing changes', () => {
    const r = load('');
    expect(r.ok && r.config.room.nats).toBeUndefined();
  });

  it('a string or a list of servers; the room token replaces every character outside [A-Za-z0-9_-]', () => {
    const r = load('room:\n  nats: { servers: nats://127.0.0.1:4222 }\n');
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.config.room.nats).toEqual({ servers: ['nats://127.0.0.1:4222'], name: 'rl policy/v42', room: 'rl_policy_v42', replicas: 1 });
    const l = load('room:\n  nats: { servers: [nats://a:4222, nats://b:4222], replicas: 3, name: "x.y*>" }\n');
    if (!l.ok) throw new Error(JSON.stringify(l.problems));
    expect(l.config.room.nats).toMatchObject({ servers: ['nats://a:4222', 'nats://b:4222'], replicas: 3, room: 'x_y__' });
    expect(roomToken('a.b>c*d e')).toBe('a_b_c_d_e');
  });

  it('credentials are secrets, from the environment or written inline; paths resolve beside the config', () => {
    const r = load('room:\n  nats:\n    servers: nats://u:inlinepass@h:4222\n    user: "${NU}"\n    password: "${NP}"\n', { NU: 'natsuser', NP: 'hunter2hunter2' });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.config.secrets).toEqual(expect.arrayContaining(['hunter2hunter2', 'inlinepass']));
    const t = load('room:\n  nats: { servers: nats://h:4222, token: inline-token-123, tls: { ca: ca.pem, cert: c.pem, key: k.pem } }\n');
    if (!t.ok) throw new Error(JSON.stringify(t.problems));
    expect(t.config.secrets).toContain('inline-token-123');
    expect(t.config.room.nats?.tls).toEqual({ ca: '/tmp/h/ca.pem', cert: '/tmp/h/c.pem', key: '/tmp/h/k.pem' });
    const c = load('room:\n  nats: { servers: nats://h:4222, creds: ./room.creds }\n');
    expect(c.ok && c.config.room.nats?.creds).toBe('/tmp/h/room.creds');
  });

  it('problems: no server, a bad URL, two ways to log in, a lone user, an unknown key; no value is shown', () => {
    const msgs = (r: LoadResult) => (r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`));
    expect(msgs(load('room:\n  nats: {}\n')).join('\n')).toMatch(/room\.nats/);
    expect(msgs(load('room:\n  nats: { servers: "http://x" }\n')).join('\n')).toMatch(/nats:\/\/HOST:PORT/);
    const two = msgs(load('room:\n  nats: { servers: nats://h:1, token: "${T}", user: u, password: p }\n', { T: 'sekrit-token-value' }));
    expect(two.join('\n')).toMatch(/choose one way to log in/);
    expect(two.join('\n')).not.toContain('sekrit-token-value');
    expect(msgs(load('room:\n  nats: { servers: nats://h:1, user: u }\n')).join('\n')).toMatch(/user and password go together/);
    expect(msgs(load('room:\n  nats: { servers: nats://h:1, replica: 3 }\n')).join('\n')).toMatch(/replica/);
    expect(msgs(load('room:\n  nats: { servers: nats://h:1, replicas: 0 }\n')).join('\n')).toMatch(/1 or more/);
  });
});
