import path from 'node:path';

export { paymentsSdl, startPayments, type PaymentsServer, type PaymentsStartOptions } from './main';
export { loadPaymentsConfig, type PaymentsConfig } from './config';
export { SANDBOX_PAGE_PREFIX } from './sandbox-page.route';
export { webhookPath } from './webhook.route';
export { signSandboxPayload, SANDBOX_SIGNATURE_HEADER } from './providers/sandbox-signature';
export type { PaymentProvider } from './providers/payment-provider';

/** The payments package's folder (holds prisma.config.ts and the migrations). */
export const PAYMENTS_SERVICE_DIR = path.join(__dirname, '..');
