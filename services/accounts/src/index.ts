import path from 'node:path';

export { accountsSdl, startAccounts, JWKS_PATH } from './main';
export { loadAccountsConfig, type AccountsConfig } from './config';
export { seedStaffAdminAt, STAFF_ADMIN_EMAIL } from './seed/staff-admin';
export { seedPartnerKeyAt, DEMO_PARTNER } from './seed/partner-key';
export { PARTNER_KEY_VERIFY_PATH } from './partner-keys.route';

/** The accounts package's folder (holds prisma.config.ts and the migrations). */
export const ACCOUNTS_SERVICE_DIR = path.join(__dirname, '..');
