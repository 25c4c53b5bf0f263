import path from 'node:path';

export { accountsSdl, startAccounts, JWKS_PATH } from './main';
export { loadAccountsConfig, type AccountsConfig } from './config';
export { seedStaffAdminAt, STAFF_ADMIN_EMAIL } from './seed/staff-admin';

/** The accounts package's folder (holds prisma.config.ts and the migrations). */
export const ACCOUNTS_SERVICE_DIR = path.join(__dirname, '..');
