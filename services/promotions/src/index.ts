import path from 'node:path';

export { promotionsSdl, startPromotions, type PromotionsServer, type PromotionsStartOptions } from './main';
export { loadPromotionsConfig, type PromotionsConfig } from './config';
export { DEMO_COUPON_CODE, seedDemoCouponAt } from './seed/demo-coupon';

/** The promotions package's folder (holds prisma.config.ts and the migrations). */
export const PROMOTIONS_SERVICE_DIR = path.join(__dirname, '..');
