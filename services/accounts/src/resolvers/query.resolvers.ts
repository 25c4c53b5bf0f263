import type { AccountsContext } from '../accounts.context';
import type { CustomerView } from '../account.model';

export const queryResolvers = {
  me: (_: unknown, _args: unknown, ctx: AccountsContext): Promise<CustomerView | null> => ctx.accounts.me(ctx.identity),
  customer: (_: unknown, args: { id: string }, ctx: AccountsContext): Promise<CustomerView | null> => ctx.accounts.visible(ctx.identity, args.id),
};
