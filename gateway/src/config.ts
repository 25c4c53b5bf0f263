import { z } from 'zod';
import { ConfigError, env, loadConfig, nodeEnv, rateLimitEnv, tracingEnv } from '@shop/platform';
import type { GatewayRateLimits } from './edge/rate-limits';
import type { JSONWebKeySet } from 'jose';
import { PERSISTED_QUERIES_DIR, SUBGRAPHS } from './subgraphs';
import { parseAddressRange } from './edge/trusted-proxies';
import type { HttpSecurityOptions } from './edge/http-security';
import type { QueryLimits } from './edge/query-limits';
import type { PartnerOptions } from './edge/partners';

const jwks = env.json(z.object({ keys: z.array(z.looseObject({ kty: z.string() })).min(1) }));

/** A boolean whose default depends on NODE_ENV: unset or empty is undefined. */
const optionalBool = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((value) => (value ? value === 'true' || value === '1' : undefined));

const commaList = z.string().transform((text) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== ''),
);

/** Origins exactly as browsers send them: scheme, host and port, no path or trailing slash; no `*`. */
const origins = commaList.refine((list) => list.every((origin) => URL.canParse(origin) && new URL(origin).origin === origin), {
  message: 'must be comma-separated origins such as https://shop.example (no path, no trailing slash, no *)',
});

const addressRanges = commaList.refine((list) => list.every((entry) => parseAddressRange(entry) !== null), {
  message: 'must be comma-separated IP addresses or CIDR blocks such as 10.0.0.0/8',
});

/** Where the storefront and admin dev servers usually run (Next.js, Vite). */
const DEV_ORIGINS = ['http://localhost:3000', 'http://localhost:5173'];

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
  /** Unset: on in development, off in production (where introspection is then for staff only). */
  PLAYGROUND_ENABLED: optionalBool,
  /** Comma-separated exact origins; unset or empty: the local dev servers in development, none in production. */
  CORS_ALLOWED_ORIGINS: origins.optional(),
  CORS_ALLOW_CREDENTIALS: env.bool(false),
  /** Comma-separated IPs or CIDR blocks whose X-Forwarded-For and X-Forwarded-Proto are believed. */
  TRUSTED_PROXIES: addressRanges.default([]),
  /** Shared by gateway replicas for rate limits when set; in-process otherwise. */
  REDIS_URL: env.optionalUrl(),
  GATEWAY_RATE_LIMIT_PER_CLIENT: env.positiveInt(1200),
  GATEWAY_RATE_LIMIT_PER_USER: env.positiveInt(600),
  GATEWAY_RATE_LIMIT_AUTH: env.positiveInt(20),
  GATEWAY_RATE_LIMIT_SENSITIVE: env.positiveInt(30),
  /** Key prefix in Redis (limits, partner budgets, persisted queries), so shops or test runs sharing one Redis stay apart. */
  GATEWAY_RATE_LIMIT_PREFIX: z.string().min(1).default('gateway:limits'),
  /** How long an automatic persisted query stays registered (in Redis when REDIS_URL is set). */
  GATEWAY_APQ_TTL_SECONDS: env.positiveInt(86_400),
  GATEWAY_QUERY_MAX_DEPTH: env.positiveInt(10),
  GATEWAY_QUERY_MAX_ALIASES: env.positiveInt(15),
  GATEWAY_QUERY_MAX_DIRECTIVES: env.positiveInt(20),
  GATEWAY_QUERY_MAX_TOKENS: env.positiveInt(2000),
  /** A full page (first: 100) of products with variants and prices measures about 5,500. */
  GATEWAY_QUERY_MAX_COST: env.positiveInt(10000),
  /** Items assumed for a list field the query does not size with `first`, `last` or `limit`. */
  GATEWAY_QUERY_DEFAULT_LIST_SIZE: env.positiveInt(10),
  /** JSON-array bodies (several operations in one request), each measured on its own. */
  GATEWAY_BATCHING_ENABLED: env.bool(false),
  /** Each partner's query cost budget per minute (a leaky bucket; cost as GATEWAY_QUERY_MAX_COST measures it). */
  PARTNER_COST_PER_MINUTE: env.positiveInt(10000),
  /** How long a partner key's verification (or its refusal) is remembered: a revoked key works at most this long. */
  PARTNER_KEY_CACHE_SECONDS: env.positiveInt(30),
  /** Where the partners' safelists (`<partner>.json` persisted query manifests) are. */
  PARTNER_MANIFESTS_DIR: z.string().min(1).default(PERSISTED_QUERIES_DIR),
  /** Continue a client's W3C `traceparent` instead of starting a trace; only behind an edge of your own that sets it. */
  GATEWAY_TRACE_TRUST_CLIENTS: env.bool(false),
  ...tracingEnv,
  ...rateLimitEnv,
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
  /** The GraphQL playground page: on in development; in production only if asked for. */
  readonly playground: boolean;
  /** CORS, security headers, trusted proxies. */
  readonly http: HttpSecurityOptions;
  readonly redisUrl: string | undefined;
  /** Per minute; multiplied by `rateLimitScale` (RATE_LIMIT_SCALE). */
  readonly rateLimits: GatewayRateLimits;
  readonly rateLimitScale: number;
  readonly rateLimitPrefix: string;
  /** Automatic persisted queries (first-party apps): how long a registered query is kept. */
  readonly apqTtlSeconds: number;
  /** Depth, aliases, directives, tokens and cost bounds of every operation (SEC-7). */
  readonly queryLimits: QueryLimits;
  /** Whether a request may carry several operations (a JSON array). */
  readonly batching: boolean;
  /** Partner API keys, safelists and cost budgets. */
  readonly partners: Omit<PartnerOptions, 'verifyUrl'>;
  /** Subgraph name to its GraphQL URL. */
  readonly subgraphUrls: Readonly<Record<string, string>>;
  /** OTLP/HTTP endpoint for traces; unset: tracing off. */
  readonly otlpEndpoint: string | undefined;
  /** Whether a client's `traceparent` is continued. */
  readonly traceTrustClients: boolean;
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
    playground: config.PLAYGROUND_ENABLED ?? !production,
    http: {
      production,
      corsAllowedOrigins: config.CORS_ALLOWED_ORIGINS?.length ? config.CORS_ALLOWED_ORIGINS : production ? [] : DEV_ORIGINS,
      corsAllowCredentials: config.CORS_ALLOW_CREDENTIALS,
      trustedProxies: config.TRUSTED_PROXIES,
    },
    redisUrl: config.REDIS_URL,
    rateLimits: {
      perClient: config.GATEWAY_RATE_LIMIT_PER_CLIENT,
      perUser: config.GATEWAY_RATE_LIMIT_PER_USER,
      auth: config.GATEWAY_RATE_LIMIT_AUTH,
      sensitive: config.GATEWAY_RATE_LIMIT_SENSITIVE,
    },
    rateLimitScale: config.RATE_LIMIT_SCALE,
    rateLimitPrefix: config.GATEWAY_RATE_LIMIT_PREFIX,
    apqTtlSeconds: config.GATEWAY_APQ_TTL_SECONDS,
    queryLimits: {
      depth: config.GATEWAY_QUERY_MAX_DEPTH,
      aliases: config.GATEWAY_QUERY_MAX_ALIASES,
      directives: config.GATEWAY_QUERY_MAX_DIRECTIVES,
      tokens: config.GATEWAY_QUERY_MAX_TOKENS,
      cost: config.GATEWAY_QUERY_MAX_COST,
      defaultListSize: config.GATEWAY_QUERY_DEFAULT_LIST_SIZE,
    },
    batching: config.GATEWAY_BATCHING_ENABLED,
    partners: { manifestsDir: config.PARTNER_MANIFESTS_DIR, keyCacheSeconds: config.PARTNER_KEY_CACHE_SECONDS, costPerMinute: config.PARTNER_COST_PER_MINUTE },
    subgraphUrls: Object.fromEntries(SUBGRAPHS.map((s) => [s.name, String(values[`${s.name.toUpperCase()}_URL`])])),
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
    traceTrustClients: config.GATEWAY_TRACE_TRUST_CLIENTS,
  };
}
