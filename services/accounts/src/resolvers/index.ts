import type { SubgraphResolvers } from '@shop/platform';
import type { AccountsContext } from '../accounts.context';
import { customerResolvers } from './customer.resolvers';
import { mutationResolvers } from './mutation.resolvers';
import { queryResolvers } from './query.resolvers';

export const resolvers: SubgraphResolvers<AccountsContext> = {
  Query: queryResolvers,
  Mutation: mutationResolvers,
  Customer: customerResolvers,
};
