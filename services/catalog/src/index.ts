import path from 'node:path';

export { catalogSdl, startCatalog, type CatalogStartOptions } from './main';
export { loadCatalogConfig, type CatalogConfig } from './config';
export { seedDemoCatalog, seedDemoCatalogAt, type DemoCatalog } from './seed/demo-catalog';

/** The catalog package's folder (holds prisma.config.ts and the migrations). */
export const CATALOG_SERVICE_DIR = path.join(__dirname, '..');
