/** SPEC §9.4 `telemetry:`: otlp.endpoint and metrics_listen, strict, with line-numbered problems; HOST:PORT parsing. */
import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/load.js';
import { isLoopback, parseListen } from '../../src/config/listen.js';

const yaml = (telemetry: string) => `version: 1
deployment: { name: d }
sources:
  exporter: { type: scrape, url: "http://127.0.0.1:9108/metrics" }
gates:
  - { id: e, source: exporter, metric: x, go: ">= 1" }
telemetry:
${telemetry}
`;
const load = (t: string, env: Record<string, string> = {}) => loadConfigText(yaml(t), { file: '/tmp/w.yaml', env });
const problems = (t: string) => {
  const r = load(t);
  return r.ok ? [] : r.problems.map((p) => `${p.path}@${p.line}: ${p.message}`);
};

describe('telemetry config', () => {
  it('takes the contract example', () => {
    const r = load('  otlp: { endpoint: http://127.0.0.1:4318 }\n  metrics_listen: 127.0.0.1:9464');
    expect(r.ok && r.config.telemetry).toEqual({ otlp: { endpoint: 'http://127.0.0.1:4318', headers: {} }, metricsListen: { host: '127.0.0.1', port: 9464 } });
  });

  it('is absent when not configured', () => {
    const r = loadConfigText(yaml('').replace('telemetry:\n', ''), { file: '/tmp/w.yaml', env: {} });
    expect(r.ok && r.config.telemetry).toBeUndefined();
  });

  it('collector headers may come from the environment and are then secrets', () => {
    const r = load('  otlp: { endpoint: http://127.0.0.1:4318, headers: { Authorization: "Bearer ${OTLP_TOKEN}" } }', { OTLP_TOKEN: 'tok-0123456789abcdef' });
    expect(r.ok && r.config.telemetry?.otlp?.headers).toEqual({ Authorization: 'Bearer tok-0123456789abcdef' });
    expect(r.ok && r.config.secrets).toContain('tok-0123456789abcdef');
  });

  it('refuses unknown keys, a bad endpoint and a bad listen address, each at its line', () => {
    expect(problems('  otlp: { endpoint: ftp://x }\n  metrics_listen: 9464\n  metric_listen: 1')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^telemetry\.otlp\.endpoint@8: URL must start with http:\/\/ or https:\/\//),
        expect.stringMatching(/^telemetry\.metrics_listen@9: /),
        expect.stringMatching(/^telemetry\.metric_listen@10: unknown key "metric_listen" \(did you mean "metrics_listen"\?\)/),
      ]),
    );
    expect(problems('  metrics_listen: "127.0.0.1:99999"')).toEqual([expect.stringMatching(/metrics_listen@8: port 99999 is not 1\.\.65535/)]);
    expect(problems('  metrics_listen: ":9464"')).toEqual([expect.stringMatching(/metrics_listen@8: ":9464" is not HOST:PORT/)]);
  });
});

describe('HOST:PORT', () => {
  it('parses names, IPv4 and bracketed IPv6', () => {
    expect(parseListen('127.0.0.1:9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parseListen('localhost:1')).toEqual({ host: 'localhost', port: 1 });
    expect(parseListen('[::1]:9464')).toEqual({ host: '::1', port: 9464 });
    expect(parseListen('0.0.0.0:9464')).toEqual({ host: '0.0.0.0', port: 9464 });
  });
  it.each(['9464', ':9464', '127.0.0.1', '127.0.0.1:0', '[nope]:1', 'a b:1', '::1:9464', 'host:-1'])('refuses %j with a reason', (s) => {
    expect(parseListen(s)).toHaveProperty('error');
  });
  it('knows loopback from the rest', () => {
    expect(['127.0.0.1', '127.9.9.9', '::1', 'localhost'].every(isLoopback)).toBe(true);
    expect(['0.0.0.0', '::', '10.0.0.1', 'example.com'].some(isLoopback)).toBe(false);
  });
});
