import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { generateSigningKey, type SigningKey } from '@shop/platform';

const secretsSchema = z.object({
  gatewaySubgraphSecret: z.string().min(32),
  accessTokenKey: z.object({ kid: z.string(), privateJwk: z.looseObject({ kty: z.string() }) }),
});

/** Secrets embedded mode makes up once per data directory, so tokens survive a restart. */
export type LocalSecrets = { gatewaySubgraphSecret: string; accessTokenKey: SigningKey };

/** Where they are kept: readable by the owner only. */
export function secretsFile(dataDir: string): string {
  return path.join(dataDir, 'secrets.json');
}

/** Reads the data directory's secrets, creating random ones on the first start. */
export async function loadOrCreateSecrets(dataDir: string): Promise<LocalSecrets> {
  const file = secretsFile(dataDir);
  try {
    return secretsSchema.parse(JSON.parse(await readFile(file, 'utf8'))) as LocalSecrets;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secrets: LocalSecrets = {
    gatewaySubgraphSecret: randomBytes(32).toString('base64url'),
    accessTokenKey: await generateSigningKey(`local-${randomBytes(4).toString('hex')}`),
  };
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}
