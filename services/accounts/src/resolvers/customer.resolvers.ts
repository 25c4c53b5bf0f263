import type { AccountsContext } from '../accounts.context';
import type { AddressView, CustomerView } from '../account.model';

export const customerResolvers = {
  /** Shield does not guard `_entities`: the owner-or-staff check runs here too (SEC-3). */
  __resolveReference: (reference: { id: string }, ctx: AccountsContext): Promise<CustomerView | null> =>
    ctx.accounts.visible(ctx.identity, reference.id),
  addresses: (customer: CustomerView, _args: unknown, ctx: AccountsContext): Promise<AddressView[]> =>
    ctx.loaders.once(`addresses:${customer.id}`, () => ctx.addresses.list(customer.id)),
};
