import type { SubgraphResolvers } from '@shop/platform';
import type { CatalogContext } from '../catalog.context';
import { mutationResolvers } from './mutation.resolvers';
import { categoryResolvers, productResolvers, variantResolvers } from './product.resolvers';
import { queryResolvers } from './query.resolvers';

/** Every catalog resolver: thin, each one hands over to a service. */
export const resolvers = {
  Query: queryResolvers,
  Mutation: mutationResolvers,
  Product: productResolvers,
  Variant: variantResolvers,
  Category: categoryResolvers,
} as unknown as SubgraphResolvers<CatalogContext>;
