import path from 'node:path';

export { inventorySdl, startInventory, type InventoryStartOptions } from './main';
export { loadInventoryConfig, type InventoryConfig } from './config';
export { seedDemoStockAt } from './seed/demo-stock';
export { auditStock, type StockAudit } from './stock-audit';

/** The inventory package's folder (holds prisma.config.ts and the migrations). */
export const INVENTORY_SERVICE_DIR = path.join(__dirname, '..');
