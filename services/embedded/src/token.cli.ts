import { parseArgs } from 'node:util';
import { exitOnConfigError, mintAccessToken, roleSchema } from '@shop/platform';
import { loadEmbeddedConfig } from './config';
import { loadOrCreateSecrets } from './local-secrets';

/**
 * `npm run token -- --role STAFF [--role SELLER] [--user <id>] [--expires 15m]`: prints an access
 * token the embedded gateway accepts, signed with the data directory's key (the one accounts signs
 * with and publishes). Signing in (`login`) gives a real customer's token; this gives any roles at once.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', multiple: true, default: ['CUSTOMER'] },
      user: { type: 'string', default: 'local-user' },
      expires: { type: 'string', default: '15m' },
    },
  });
  const roles = (values.role ?? []).map((role) => roleSchema.parse(role.toUpperCase()));
  const config = loadEmbeddedConfig();
  const secrets = await loadOrCreateSecrets(config.dataDir);
  const token = await mintAccessToken(secrets.accessTokenKey, { userId: values.user ?? 'local-user', roles }, config.tokenAudience, values.expires);
  process.stdout.write(`${token}\n`);
}

void exitOnConfigError(main).catch((error: unknown) => {
  process.stderr.write(`token: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
