/**
 * The HTML report's signers: with the room's allowed_signers (keys made by the real ssh-keygen),
 * a line signed by the actor's listed key counts as verified, one whose signature is not theirs
 * is named with why; without allowed_signers the report says nothing is attributable.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { Ledger } from '../../src/audit/ledger.js';
import { parseSigningKey } from '../../src/audit/sshsig.js';
import { FakeClock } from '../../src/core/clock.js';
import { runCli } from '../helpers/cli.js';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

function keypair(dir: string, name: string): string {
  const key = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', key]);
  return key;
}

describe('report --format html: the ledger verification and signers', () => {
  it('names each signer, how many lines verify under allowed_signers, and why one does not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warroom-report-signers-'));
    dirs.push(dir);
    const audit = join(dir, 'audit');
    const alice = keypair(dir, 'alice');
    writeFileSync(join(dir, 'allowed_signers'), `alice namespaces="warroom" ${readFileSync(`${alice}.pub`, 'utf8').trim()}\n`);
    const config = {
      version: 1,
      deployment: { name: 'rl-policy-v42', environment: 'production' },
      sources: {},
      gates: [{ id: 'oncall_ack', title: 'On-call ACK', source: 'manual', signoff_role: 'on_call' }],
      room: { allowed_signers: join(dir, 'allowed_signers') },
      audit: { dir: audit },
    };
    const configPath = join(dir, 'warroom.yaml');
    writeFileSync(configPath, stringify(config));
    // alice's console (its head signed as hers) signs with her key; a line it wrote as "mallory" carries alice's signature.
    const ledger = await Ledger.open(audit, { clock: new FakeClock(Date.now() - 60_000), deployment: 'rl-policy-v42', environment: 'production', lockAs: 'alice', signer: parseSigningKey(readFileSync(alice, 'utf8')) });
    ledger.append({ type: 'signoff', role: 'on_call', gate: 'oncall_ack', actor: 'alice' });
    ledger.append({ type: 'signoff', role: 'on_call', gate: 'oncall_ack', actor: 'mallory' });
    ledger.append({ type: 'note', text: 'unsigned note', actor: 'alice' });
    await ledger.flush();
    await ledger.close();

    const out = join(dir, 'r.html');
    expect((await runCli(['report', '--format', 'html', '--config', configPath, '--dir', audit, '--output', out])).code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain("signatures checked against the room&#39;s allowed_signers");
    expect(html).toContain('<tr><td>alice</td><td>2</td><td>1</td><td>1</td></tr>');
    expect(html).toMatch(/<tr><td>mallory<\/td><td>1<\/td><td>1<\/td><td>0 <span class="failed">[^<]+<\/span><\/td><\/tr>/);
    // mallory's sign-off does not count, and the report says why.
    expect(html).toMatch(/Sign-offs that do not count[\s\S]*mallory/);

    // Without a config (no allowed_signers), nothing is attributable.
    const bare = join(dir, 'bare.html');
    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(elsewhere);
    expect((await runCli(['report', '--format', 'html', '--dir', audit, '--output', bare], { cwd: elsewhere })).code).toBe(0);
    expect(readFileSync(bare, 'utf8')).toContain('unsigned: anyone who can write the audit dir could have written these lines');
  });
});
