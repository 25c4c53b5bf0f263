import type { SubgraphResolvers } from '@shop/platform';
import type { InventoryContext } from '../inventory.context';
import { mutationResolvers } from './mutation.resolvers';
import { queryResolvers } from './query.resolvers';
import { variantResolvers } from './variant.resolvers';

/** Every inventory resolver: thin, each one hands over to a service. */
export const resolvers = {
  Query: queryResolvers,
  Mutation: mutationResolvers,
  Variant: variantResolvers,
} as unknown as SubgraphResolvers<InventoryContext>;
