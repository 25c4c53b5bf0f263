import { z } from 'zod';

/** The roles a caller can hold (SEC-1). */
export const ROLES = ['CUSTOMER', 'SELLER', 'MARKETER', 'STAFF'] as const;
export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES);

/**
 * Who is calling: a signed-in user with roles, or an anonymous caller (`userId` null). A partner
 * integration whose API key is scoped to a market (issue 9) is anonymous with `partnerMarketId`
 * set: it may change that market's catalogue and is a guest everywhere else.
 */
export interface Identity {
  readonly userId: string | null;
  readonly roles: readonly Role[];
  /** The market a MARKET-scoped partner key acts for; absent for every user and every other caller. */
  readonly partnerMarketId?: string;
}

/** The caller nobody signed in as. */
export const ANONYMOUS: Identity = Object.freeze({ userId: null, roles: Object.freeze([]) });

/** True when the caller holds `role`. */
export function hasRole(identity: Identity, role: Role): boolean {
  return identity.roles.includes(role);
}
