import type { SubgraphResolvers } from '@shop/platform';
import type { AccountsContext } from '../accounts.context';
import { customerResolvers } from './customer.resolvers';
import { mutationResolvers } from './mutation.resolvers';
import { partnerKeyMutations, partnerKeyQueries } from './partner-key.resolvers';
import { queryResolvers } from './query.resolvers';

export const resolvers: SubgraphResolvers<AccountsContext> = {
  Query: { ...queryResolvers, ...partnerKeyQueries },
  Mutation: { ...mutationResolvers, ...partnerKeyMutations },
  Customer: customerResolvers,
};
