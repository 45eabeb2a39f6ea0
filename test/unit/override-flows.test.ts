/** SPEC §9.5 in the pure parts: the config section, the `d g` override flow and the `o` approval flow. */
import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/load.js';
import { describeFlow } from '../../src/flows/describe.js';
import { actRefusal } from '../../src/flows/permissions.js';
import type { OpenRequest } from '../../src/flows/types.js';
import { ENTER, run, T0 } from './flows-helpers.js';

const HEAD = `version: 1\ndeployment: { name: d }\ngates:\n  - { id: ack, source: manual, signoff_role: on_call }\n`;
const ROLES = `roles: { release_captain: [alice], on_call: [bob], cto: [carol], senior_engineer: [dave, erin] }\n`;
const load = (text: string) => loadConfigText(text, { file: '/srv/wr/warroom.yaml', env: {} });
const problems = (text: string) => {
  const r = load(text);
  if (r.ok) throw new Error('expected problems');
  return r.problems.map((p) => `${p.path}: ${p.message}`);
};

const RULE = { roles: ['cto', 'senior_engineer'], count: 3, expiresMs: 2 * 3600_000 };
const REQUEST: OpenRequest = { id: 'abcdef12-0000', kind: 'go', requestedBy: 'alice', overridden: ['oncall_ack'], justification: 'ship the fix', counted: 1, need: 3, expires: T0 + 3600_000, approvers: ['carol'] };

describe('config: decision.override and waiver.approvals', () => {
  it('parses the contract shape', () => {
    const r = load(`${HEAD}${ROLES}decision:\n  override: { roles: [cto, senior_engineer], count: 3, expires: 2h }\nwaiver:\n  approvals: { roles: [cto, senior_engineer], count: 2, expires: 1h }\n`);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.config.decision.override).toEqual(RULE);
    expect(r.config.waiver).toEqual({ approvals: { roles: ['cto', 'senior_engineer'], count: 2, expiresMs: 3600_000 } });
  });

  it('unknown roles, no roles at all, bad counts and unknown keys are problems with their path', () => {
    expect(problems(`${HEAD}${ROLES}decision:\n  override: { roles: [vp], count: 3, expires: 2h }\n`)).toEqual([expect.stringMatching(/^decision\.override\.roles\[0\]: role "vp" is not defined in roles/)]);
    expect(problems(`${HEAD}decision:\n  override: { roles: [cto], count: 1, expires: 2h }\n`)).toEqual([expect.stringMatching(/^decision\.override: approvals are counted by role: configure roles: first/)]);
    expect(problems(`${HEAD}${ROLES}decision:\n  override: { roles: [cto], count: 0, expires: 2h }\n`)).toEqual([expect.stringMatching(/^decision\.override\.count: must be 1 or more/)]);
    expect(problems(`${HEAD}${ROLES}waiver:\n  approvals: { roles: [cto], count: 1, expires: 1h, quorum: 2 }\n`).join('\n')).toMatch(/waiver\.approvals.*quorum/);
  });
});

describe('d g while NO-GO with decision.override', () => {
  it('asks for a justification, says what is needed, and ends in an override request (not a decision)', () => {
    const r = run('decision', ['g', 'hotfix', ENTER], { overall: 'NO-GO', override: RULE });
    expect(r.flow?.step).toBe('confirm');
    const d = describeFlow(r.flow!, r.ctx);
    expect(d.title).toBe('OVERRIDE REQUEST: GO while the light is NO-GO');
    expect(d.lines).toContain('override request: needs 3 approvals from cto/senior_engineer within 2h');
    const done = run('decision', ['g', 'hotfix', ENTER, 'y'], { overall: 'NO-GO', override: RULE });
    expect(done.effects).toEqual([{ type: 'overrideRequest', justification: 'hotfix' }]);
  });

  it('without decision.override GO stays refused; with a request already open a second one is refused', () => {
    expect(run('decision', ['g'], { overall: 'NO-GO' }).effects).toEqual([{ type: 'refused', message: 'GO refused: the light is NO-GO' }]);
    expect(run('decision', ['g'], { overall: 'NO-GO', override: RULE, openRequest: REQUEST }).effects[0]).toMatchObject({ type: 'refused', message: expect.stringMatching(/already open \(abcdef12 by alice\)/) });
  });
});

describe('o: approve the open request', () => {
  it('confirms naming the request and the NO-GO gates it overrides, then approves it', () => {
    const ctx = { override: RULE, openRequest: REQUEST, actorRoles: ['senior_engineer'], actor: 'dave' };
    const r = run('approve', [], ctx);
    const d = describeFlow(r.flow!, r.ctx);
    expect(d.title).toBe('APPROVE OVERRIDE (GO while NO-GO) abcdef12 requested by alice?');
    expect(d.lines).toContain('overrides NO-GO gates: oncall_ack');
    expect(run('approve', ['y'], ctx).effects).toEqual([{ type: 'approve', request: 'abcdef12-0000' }]);
  });

  it.each([
    ['no request is open', { override: RULE, actorRoles: ['cto'] }, /nothing to approve/],
    ['the actor holds none of the roles', { override: RULE, openRequest: REQUEST, actorRoles: ['release_captain'] }, /approval needs role cto or senior_engineer \(you are: release_captain\)/],
    ['the actor already counts', { override: RULE, openRequest: REQUEST, actorRoles: ['cto'], actor: 'carol' }, /already count/],
    ['the console is read-only', { override: RULE, openRequest: REQUEST, actorRoles: ['cto'], readOnly: true }, /READ-ONLY/],
  ])('is refused when %s', (_n, over, why) => {
    expect(run('approve', [], over).effects[0]).toMatchObject({ type: 'refused', message: expect.stringMatching(why) });
  });

  it('at the act: replay, read-only and role-less consoles never approve', () => {
    const a = { readOnly: false, replay: false, rolesConfigured: true, actorRoles: ['cto'] };
    expect(actRefusal('approve', a, { roles: RULE.roles })).toBeUndefined();
    expect(actRefusal('approve', { ...a, replay: true }, { roles: RULE.roles })).toMatch(/REPLAY/);
    expect(actRefusal('approve', { ...a, readOnly: true }, { roles: RULE.roles })).toMatch(/READ-ONLY/);
    expect(actRefusal('approve', { ...a, rolesConfigured: false, actorRoles: [] }, { roles: RULE.roles })).toMatch(/configured role/);
    expect(actRefusal('approve', { ...a, actorRoles: ['observer'] }, { roles: RULE.roles })).toMatch(/needs role cto or senior_engineer/);
  });
});
