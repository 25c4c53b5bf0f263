import { allow, deny, or, rule } from 'graphql-shield';
import type { IRule } from 'graphql-shield';
import type { GraphQLResolveInfo } from 'graphql';
import { CommonErrors } from '../errors';
import { hasRole, type Identity, type Role } from '../identity/identity';

/** What every rule can rely on in the request context. */
export interface RuleContext {
  readonly identity: Identity;
}

export { allow, deny, or, rule };

const unauthenticated = () => CommonErrors.create('UNAUTHENTICATED');
const forbidden = () => CommonErrors.create('FORBIDDEN');

/** Any signed-in caller. */
export const isAuthenticated: IRule = rule({ cache: 'contextual' })((_parent, _args, ctx: RuleContext) =>
  ctx.identity.userId ? true : unauthenticated(),
);

/** A signed-in caller holding one of `roles`; anonymous callers get UNAUTHENTICATED, others FORBIDDEN. */
export function hasAnyRole(...roles: Role[]): IRule {
  const name = `hasAnyRole:${[...roles].sort().join(',')}`;
  // graphql-shield requires one instance per rule name.
  let existing = roleRules.get(name);
  if (!existing) {
    existing = rule(name, { cache: 'contextual' })((_parent, _args, ctx: RuleContext) => {
      if (!ctx.identity.userId) return unauthenticated();
      return roles.some((role) => hasRole(ctx.identity, role)) ? true : forbidden();
    });
    roleRules.set(name, existing);
  }
  return existing;
}

const roleRules = new Map<string, IRule>();

/** Staff only (SEC-4). */
export const isStaff: IRule = hasAnyRole('STAFF');

/**
 * A partner key scoped to a market (issue 9). Which market it may change is the service's check;
 * other callers get UNAUTHENTICATED, so put this after a role rule in `or` to keep that rule's error.
 */
export const isMarketPartner: IRule = rule('isMarketPartner', { cache: 'contextual' })((_parent, _args, ctx: RuleContext) =>
  ctx.identity.partnerMarketId ? true : unauthenticated(),
);

/**
 * Owner-or-staff for an object field: `ownerOf` reads the owner's user id from the parent object.
 * Another customer's object answers NOT_FOUND, never FORBIDDEN, so ids cannot be probed (SEC-3).
 */
export function isOwnerOrStaff<Parent>(name: string, ownerOf: (parent: Parent, info: GraphQLResolveInfo) => string | null | undefined): IRule {
  return rule(`isOwnerOrStaff:${name}`, { cache: 'no_cache' })((parent: Parent, _args, ctx: RuleContext, info: GraphQLResolveInfo) => {
    if (hasRole(ctx.identity, 'STAFF')) return true;
    const owner = ownerOf(parent, info);
    return owner != null && owner === ctx.identity.userId ? true : CommonErrors.create('NOT_FOUND');
  });
}
