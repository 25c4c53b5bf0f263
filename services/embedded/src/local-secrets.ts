import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { generateSigningKey, type SigningKey } from '@shop/platform';

/** Fields added after the first release are optional here, so an older data directory gains them. */
const secretsSchema = z.object({
  gatewaySubgraphSecret: z.string().min(32),
  accessTokenKey: z.object({ kid: z.string(), privateJwk: z.looseObject({ kty: z.string() }) }),
  accountsTokenSecret: z.string().min(32).optional(),
  adminPassword: z.string().min(16).optional(),
  partnerDemoKey: z.string().min(16).optional(),
  sandboxWebhookSecret: z.string().min(32).optional(),
  shippingQuoteSecret: z.string().min(32).optional(),
});

/** Secrets embedded mode makes up once per data directory, so tokens and sign-ins survive a restart. */
export type LocalSecrets = {
  gatewaySubgraphSecret: string;
  /** Signs access tokens: accounts signs with it and publishes its public half; the token CLI too. */
  accessTokenKey: SigningKey;
  /** ACCOUNTS_TOKEN_SECRET: keys the HMACs of one-time codes and email links. */
  accountsTokenSecret: string;
  /** The staff admin's password when SEED_ADMIN_PASSWORD is not set. */
  adminPassword: string;
  /** The demo partner's API key when PARTNER_DEMO_KEY is not set. */
  partnerDemoKey: string;
  /** PAYMENTS_SANDBOX_WEBHOOK_SECRET: signs the sandbox provider's webhooks. */
  sandboxWebhookSecret: string;
  /** SHIPPING_QUOTE_SECRET: signs shipping quotes, which checkout verifies. */
  shippingQuoteSecret: string;
};

/** Where they are kept: readable by the owner only. */
export function secretsFile(dataDir: string): string {
  return path.join(dataDir, 'secrets.json');
}

const randomSecret = () => randomBytes(32).toString('base64url');

/** Reads the data directory's secrets, creating random ones for whatever is missing (all on the first start). */
export async function loadOrCreateSecrets(dataDir: string): Promise<LocalSecrets> {
  const file = secretsFile(dataDir);
  let stored: Partial<LocalSecrets> = {};
  try {
    stored = secretsSchema.parse(JSON.parse(await readFile(file, 'utf8'))) as Partial<LocalSecrets>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secrets: LocalSecrets = {
    gatewaySubgraphSecret: stored.gatewaySubgraphSecret ?? randomSecret(),
    accessTokenKey: stored.accessTokenKey ?? (await generateSigningKey(`local-${randomBytes(4).toString('hex')}`)),
    accountsTokenSecret: stored.accountsTokenSecret ?? randomSecret(),
    adminPassword: stored.adminPassword ?? randomBytes(18).toString('base64url'),
    partnerDemoKey: stored.partnerDemoKey ?? `pk_demo_${randomBytes(18).toString('base64url')}`,
    sandboxWebhookSecret: stored.sandboxWebhookSecret ?? randomSecret(),
    shippingQuoteSecret: stored.shippingQuoteSecret ?? randomSecret(),
  };
  if (Object.keys(secrets).some((key) => stored[key as keyof LocalSecrets] === undefined)) {
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
    await chmod(file, 0o600); // `mode` applies only when the file is new
  }
  return secrets;
}
