import type { RequestContext } from '@shop/platform';
import type { StockCommandService } from './stock-command.service';
import type { StockQueryService } from './stock-query.service';
import type { StockAudit } from './stock-audit';

/** What inventory resolvers receive: the platform's request context plus the inventory's services. */
export interface InventoryContext extends RequestContext {
  readonly stockQueries: StockQueryService;
  readonly stockCommands: StockCommandService;
  readonly audit: () => Promise<StockAudit>;
}
