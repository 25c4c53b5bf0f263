import type { RequestContext } from '@shop/platform';
import type { ProductCommandService } from './product-command.service';
import type { ProductQueryService } from './product-query.service';

/** What catalog resolvers receive: the platform's request context plus the catalog's services. */
export interface CatalogContext extends RequestContext {
  readonly productQueries: ProductQueryService;
  readonly productCommands: ProductCommandService;
}
