import { z } from 'zod';
import { ConfigError, env, loadConfig, nodeEnv } from '@shop/platform';
import type { JSONWebKeySet } from 'jose';
import { SUBGRAPHS } from './subgraphs';

const jwks = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as JSONWebKeySet;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'is not JSON' });
      return z.NEVER;
    }
  })
  .pipe(z.object({ keys: z.array(z.looseObject({ kty: z.string() })).min(1) }));

const subgraphUrls = Object.fromEntries(
  SUBGRAPHS.map((subgraph) => [`${subgraph.name.toUpperCase()}_URL`, z.url().default(subgraph.defaultUrl)]),
);

const schema = z.object({
  NODE_ENV: nodeEnv,
  LOG_LEVEL: env.logLevel(),
  GATEWAY_HOST: z.string().default('127.0.0.1'),
  PORT: env.port(4000),
  GATEWAY_SUBGRAPH_SECRET: z.string().min(1).default('dev-only-gateway-subgraph-secret-not-for-production'),
  /** Where the accounts service publishes its public keys (rotation-safe, cached). */
  JWT_JWKS_URL: env.optionalUrl(),
  /** Or the public keys inline, as a JWKS JSON document. */
  JWT_JWKS: jwks.optional(),
  JWT_ISSUER: z.string().min(1).default('shop-accounts'),
  JWT_AUDIENCE: z.string().min(1).default('shop'),
  PLAYGROUND_ENABLED: env.bool(true),
  ...subgraphUrls,
});

/** The gateway's settings. */
export interface GatewayConfig {
  readonly production: boolean;
  readonly host: string;
  readonly port: number;
  readonly identitySecret: string;
  readonly jwks: { readonly jwksUrl?: string; readonly jwks?: JSONWebKeySet };
  readonly tokenAudience: { readonly issuer: string; readonly audience: string };
  /** The GraphQL playground page; never served in production. */
  readonly playground: boolean;
  /** Subgraph name to its GraphQL URL. */
  readonly subgraphUrls: Readonly<Record<string, string>>;
}

/** Reads and validates the gateway's environment; throws a ConfigError naming the variable. */
export function loadGatewayConfig(source?: Readonly<Record<string, string | undefined>>): GatewayConfig {
  const config = loadConfig({ service: 'gateway', schema, secrets: ['GATEWAY_SUBGRAPH_SECRET'], env: source });
  const values = config as Record<string, unknown>;
  const production = config.NODE_ENV === 'production';
  if (production && !config.JWT_JWKS_URL && !config.JWT_JWKS) {
    throw new ConfigError('gateway: JWT_JWKS_URL (or JWT_JWKS) is missing; without it no access token can be verified');
  }
  return {
    production,
    host: config.GATEWAY_HOST,
    port: config.PORT,
    identitySecret: config.GATEWAY_SUBGRAPH_SECRET,
    jwks: { jwksUrl: config.JWT_JWKS_URL, jwks: config.JWT_JWKS },
    tokenAudience: { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE },
    playground: config.PLAYGROUND_ENABLED && !production,
    subgraphUrls: Object.fromEntries(SUBGRAPHS.map((s) => [s.name, String(values[`${s.name.toUpperCase()}_URL`])])),
  };
}
