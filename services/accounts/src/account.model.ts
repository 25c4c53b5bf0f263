import type { Account, Address, Role } from './generated/prisma/client';

/** A Customer as the schema shows it. */
export interface CustomerView {
  readonly id: string;
  readonly email: string | null;
  readonly emailVerified: boolean;
  readonly phone: string | null;
  readonly name: string;
  readonly roles: readonly Role[];
  readonly createdAt: string;
  /**
   * Set when the caller proved in this very request that the account is theirs (password, code,
   * refresh token, verification link) but is not yet signed in as it. Never part of the schema.
   */
  readonly heldByCaller?: true;
}

/** An Address as the schema shows it; `accountId` is its owner, for the owner checks. */
export interface AddressView {
  readonly id: string;
  readonly accountId: string;
  readonly name: string;
  readonly line1: string;
  readonly line2: string | null;
  readonly city: string;
  readonly postalCode: string;
  readonly country: string;
  readonly phone: string | null;
  readonly isDefault: boolean;
}

export function toCustomerView(account: Account): CustomerView {
  return {
    id: account.id,
    email: account.email,
    emailVerified: account.emailVerifiedAt !== null,
    phone: account.phone,
    name: account.name,
    roles: account.roles,
    createdAt: account.createdAt.toISOString(),
  };
}

export function toAddressView(address: Address): AddressView {
  return { ...address, line2: address.line2 || null };
}
