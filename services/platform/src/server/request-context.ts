import type { Identity } from '../identity/identity';
import type { Logger } from '../logging/logger';
import { LoaderRegistry } from '../data/loader-registry';

/**
 * What every resolver and service receives first: who is calling, the request's correlation id,
 * a logger that names both, and the request's DataLoaders.
 */
export interface RequestContext {
  readonly identity: Identity;
  readonly correlationId: string;
  readonly log: Logger;
  readonly loaders: LoaderRegistry;
  /** The client's network address as the gateway saw it, for per-client rate limits. */
  readonly clientAddress: string;
}

/** The header the gateway passes the client's address in (it overwrites whatever a client sent). */
export const CLIENT_ADDRESS_HEADER = 'x-shop-client-address';

/** Builds the context of one request. */
export function createRequestContext(identity: Identity, correlationId: string, log: Logger, clientAddress = 'unknown'): RequestContext {
  const caller = { userId: identity.userId ?? undefined, partnerMarketId: identity.partnerMarketId };
  return { identity, correlationId, log: log.child(caller), loaders: new LoaderRegistry(), clientAddress };
}
