/** What `s` signs when the selected row is no manual gate: the one gate waiting for you, else the decision, said plainly. */
import { describe, expect, it } from 'vitest';
import { describeFlow } from '../../src/flows/describe.js';
import { signoffTarget } from '../../src/flows/permissions.js';
import { ctxOf, run } from './flows-helpers.js';

const ENTROPY = { id: 'entropy', title: 'Policy entropy', manual: false };
const ONCALL = { id: 'oncall_ack', title: 'On-call engineer ACK', signoffRole: 'on_call' };
const CAPTAIN = { id: 'captain_ack', title: 'Captain ACK', signoffRole: 'release_captain' };

describe('signoffTarget with a non-manual gate selected', () => {
  it('exactly one unsigned manual gate for your role: s signs that gate, and the prompt says why and how to pick another', () => {
    const ctx = ctxOf({ selectedGate: ENTROPY, actorRoles: ['on_call'], unsignedManualGates: [ONCALL, CAPTAIN], requiredSignoffs: ['on_call'], missingSignoffs: ['on_call'] });
    expect(signoffTarget(ctx)).toMatchObject({ role: 'on_call', gate: 'oncall_ack', gateTitle: 'On-call engineer ACK' });
    const r = run('signoff', [], { selectedGate: ENTROPY, actorRoles: ['on_call'], unsignedManualGates: [ONCALL, CAPTAIN] });
    const d = describeFlow(r.flow!, r.ctx);
    expect(d.title).toBe('SIGN OFF "On-call engineer ACK" as on_call');
    expect(d.lines.join('\n')).toMatch(/The only manual gate waiting for your sign-off \("Policy entropy" is not a manual gate\); to sign another, Esc, select it with j\/k and press s/);
    const y = run('signoff', ['y'], { selectedGate: ENTROPY, actorRoles: ['on_call'], unsignedManualGates: [ONCALL, CAPTAIN] });
    expect(y.effects).toContainEqual({ type: 'signoff', role: 'on_call', gate: 'oncall_ack' });
  });

  it('roles not configured: the one unsigned manual gate is it, whoever you are', () => {
    const ctx = ctxOf({ selectedGate: ENTROPY, rolesConfigured: false, actorRoles: [], unsignedManualGates: [ONCALL], requiredSignoffs: ['on_call'], missingSignoffs: ['on_call'] });
    expect(signoffTarget(ctx)).toMatchObject({ role: 'on_call', gate: 'oncall_ack' });
  });

  it('several waiting: the decision is signed, and the prompt names the gates and how to pick one', () => {
    const over = { selectedGate: ENTROPY, rolesConfigured: false, actorRoles: [], unsignedManualGates: [ONCALL, CAPTAIN], requiredSignoffs: ['on_call'], missingSignoffs: ['on_call'] };
    const t = signoffTarget(ctxOf(over));
    expect(t).toMatchObject({ role: 'on_call' });
    expect('gate' in t && t.gate).toBeFalsy();
    const d = describeFlow(run('signoff', [], over).flow!, ctxOf(over));
    expect(d.title).toBe('SIGN OFF the decision as on_call');
    expect(d.lines[0]).toBe('Signs the decision, not a gate: 2 manual gates wait for your sign-off ("On-call engineer ACK", "Captain ACK"); select one with j/k and press s.');
  });

  it('none waiting for you: the decision, and the prompt says no gate waits', () => {
    const over = { selectedGate: ENTROPY, actorRoles: ['release_captain', 'on_call'], unsignedManualGates: [], requiredSignoffs: ['on_call'], missingSignoffs: ['on_call'] };
    const d = describeFlow(run('signoff', [], over).flow!, ctxOf(over));
    expect(d.title).toBe('SIGN OFF the decision as on_call');
    expect(d.lines[0]).toBe('Signs the decision, not a gate: no manual gate waits for your sign-off.');
    // A gate for another role is not "yours": still the decision.
    expect(signoffTarget(ctxOf({ ...over, actorRoles: ['on_call'], unsignedManualGates: [CAPTAIN] }))).not.toHaveProperty('gate');
  });

  it('a selected manual gate is still what s signs, with no note', () => {
    const t = signoffTarget(ctxOf({ unsignedManualGates: [ONCALL, CAPTAIN] }));
    expect(t).toEqual({ role: 'on_call', gate: 'oncall_ack', gateTitle: 'On-call ACK' });
  });
});
