import type { AccountsContext } from '../accounts.context';
import type { PartnerKeyView } from '../partner-key.service';

type Ctx = AccountsContext;

/** Staff's partner key operations; the rules live in PartnerKeyService. */
export const partnerKeyQueries = {
  partnerKeys: (_: unknown, _args: unknown, ctx: Ctx): Promise<PartnerKeyView[]> => ctx.partnerKeys.list(ctx.identity),
};

export const partnerKeyMutations = {
  createPartnerKey: (_: unknown, args: { input: unknown }, ctx: Ctx) => ctx.partnerKeys.create(ctx.identity, args.input),
  revokePartnerKey: (_: unknown, args: { id: string }, ctx: Ctx): Promise<PartnerKeyView> => ctx.partnerKeys.revoke(ctx.identity, args.id),
};
