/** `roles:`, and the two checks other sections make against it: a named role exists, an approval rule is countable. */
import type { Path } from '../interpolate.js';
import { rolesSchema } from '../schema.js';
import type { ApprovalRule } from '../types.js';
import type { BuildContext } from './context.js';

export interface Roles {
  roles: Record<string, string[]> | undefined;
  /** Given but not valid: the config cannot be built. */
  broken: boolean;
  checkRole(role: string, path: Path): void;
  approvalRule(a: { roles: string[]; count: number; expires: number } | undefined, path: Path): ApprovalRule | undefined;
}

export function buildRoles(ctx: BuildContext): Roles {
  const { raw, add } = ctx;
  const roles = raw.roles === undefined ? undefined : ctx.parseAt(rolesSchema, raw.roles, ['roles']);
  const checkRole = (role: string, path: Path) => {
    if (roles && !Object.prototype.hasOwnProperty.call(roles, role)) {
      add(path, `role "${role}" is not defined in roles (defined: ${Object.keys(roles).join(', ') || 'none'})`);
    }
  };
  return {
    roles,
    broken: raw.roles !== undefined && roles === undefined,
    checkRole,
    // Approvals are counted by role: without `roles` nobody could approve, so say so here.
    approvalRule: (a, path) => {
      if (!a) return undefined;
      if (raw.roles === undefined) add(path, 'approvals are counted by role: configure roles: first');
      a.roles.forEach((r, j) => checkRole(r, [...path, 'roles', j]));
      return { roles: [...new Set(a.roles)], count: a.count, expiresMs: a.expires };
    },
  };
}
