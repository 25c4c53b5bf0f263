import path from 'node:path';

export { ordersSdl, startOrders, type OrdersServer } from './main';
export { loadOrdersConfig, type OrdersConfig } from './config';
export { DEFAULT_TAX_RATES, type TaxRates } from './pricing/tax-rates';
export { auditOrders, type OrderAudit } from './order-audit';
export type { OrderService } from './order.service';

/** The orders package's folder (holds prisma.config.ts and the migrations). */
export const ORDERS_SERVICE_DIR = path.join(__dirname, '..');
