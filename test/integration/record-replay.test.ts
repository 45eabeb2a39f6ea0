/** `--record` writes what the console saw; `replay` plays it back into a read-only store. */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Recorder, readRecording } from '../../src/session/recording.js';
import { Replayer } from '../../src/session/replayer.js';
import { testConfig } from '../helpers/config.js';

describe('record and replay', () => {
  it('records samples and feed messages with the config (secrets redacted) and replays them in order', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'warroom-rec-'));
    const file = join(dir, 'window.jsonl');
    const config = testConfig({ secrets: ['tok-123456'] });
    config.sources.exporter = { ...config.sources.exporter!, headers: { Authorization: 'Bearer tok-123456' } } as never;
    const rec = new Recorder(file, config.secrets);
    const t0 = Date.parse('2026-11-23T14:00:00Z');
    rec.writeConfig(t0, config);
    const sample = (t: number, v: number) => ({ sourceId: 'exporter', result: { ok: true, readings: { 'gate:entropy': { value: v, observedAt: t } } }, startedAt: t, finishedAt: t });
    rec.write(t0 + 100, 'sample', sample(t0 + 100, 0.95));
    rec.write(t0 + 200, 'feed', { sourceId: 'feed', msg: { type: 'event', seq: 1, ts: new Date(t0).toISOString(), text: 'canary pods healthy' } });
    rec.write(t0 + 300, 'sample', sample(t0 + 300, 0.5));
    await rec.close();
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain('tok-123456');
    expect(text.split('\n').filter(Boolean)).toHaveLength(4);

    const loaded = await readRecording(file);
    expect(loaded.lines.map((l) => l.kind)).toEqual(['sample', 'feed', 'sample']);
    const r = new Replayer(loaded.config, loaded.lines, 1000);
    expect(r.store.getState()).toMatchObject({ readOnly: true, mode: 'replay' });
    let done = false;
    r.start(() => (done = true));
    for (let i = 0; i < 100 && !done; i++) await new Promise((res) => setTimeout(res, 10));
    await new Promise((res) => setTimeout(res, 300)); // the live loop's coalesced flush
    r.stop();
    const s = r.store.getState();
    expect(done).toBe(true);
    expect(s.history.entropy).toEqual([0.95, 0.5]);
    expect(s.events.map((e) => e.text)).toEqual(expect.arrayContaining(['canary pods healthy', 'replay finished (q quits)']));
  });

  it('refuses a file that is not a recording', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'warroom-rec-'));
    const file = join(dir, 'x.jsonl');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(file, 'garbage\n{"t":1,"kind":"sample","data":{}}\n');
    await expect(readRecording(file)).rejects.toThrow(/no config line/);
  });
});
