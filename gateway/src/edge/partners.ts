import type http from 'node:http';
import type { ApolloServerPlugin, GraphQLRequest } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { BusinessError, CommonErrors, MemoryLeakyBuckets, type Identity, type IdentitySigner, type LeakyBuckets } from '@shop/platform';
import type { GatewayContext } from '../subgraph-data-source';
import { CostBudget, type CostReport } from './partner-cost-budget';
import { PartnerDirectory, partnerIdentity } from './partner-directory';
import { operationHash, Safelists } from './persisted-queries';
import { measureOperation, type CostOptions } from './query-cost';

/** The header a partner integration authenticates with (CONTRACT, "Partners and limits"). */
export const API_KEY_HEADER = 'x-api-key';

/** Partner settings (see config.ts). */
export interface PartnerOptions {
  /** Where `<partner>.json` safelists are. */
  readonly manifestsDir: string;
  /** Accounts' `POST /internal/partner-keys/verify`. */
  readonly verifyUrl: string;
  /** How long a key's answer (or its absence) is remembered. */
  readonly keyCacheSeconds: number;
  /** Each partner's cost budget per minute. */
  readonly costPerMinute: number;
}

/** Where the budgets live: Redis (shared by every gateway replica) or this process. */
export interface PartnerStores {
  readonly buckets: LeakyBuckets;
}

/** What `startGateway` wires. */
export interface PartnerAccess {
  /**
   * Who the request runs as when it has an `X-Api-Key` (`partnerIdentity`), null without one;
   * throws UNAUTHENTICATED for a bad key. `beforeLookup` runs when accounts must be asked about the
   * key (not for a remembered one).
   */
  identify(req: http.IncomingMessage, beforeLookup?: () => Promise<void>): Promise<Identity | null>;
  readonly plugin: ApolloServerPlugin<GatewayContext>;
}

/** The persisted query id Apollo clients send in `extensions.persistedQuery.sha256Hash`, if any. */
function persistedHash(request: GraphQLRequest): string | undefined {
  const hash = (request.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined)?.sha256Hash;
  return typeof hash === 'string' ? hash : undefined;
}

/** A refusal before running, as HTTP 400 (Apollo's default for a refusal in a plugin is 500). */
function refusal(error: BusinessError, status: number): GraphQLError {
  return new GraphQLError(error.message, { originalError: error, extensions: { code: error.code, http: { status } } });
}

/** What stands in for a refused document, so that Apollo resolves something and the plugin can refuse it. */
const REFUSED_PLACEHOLDER = 'query PersistedQueryNotAllowed { __typename }';

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Partner integrations (CONTRACT, "Partners and limits"). A request with `X-Api-Key` belongs to the
 * partner accounts knows the key by, and never runs as a user: a READ_ONLY key runs as a guest, a
 * MARKET key as a guest that catalog lets change its one market's products (`partnerIdentity`). It
 * may run only operations of its safelist, named by `extensions.persistedQuery.sha256Hash`: with the
 * id alone the safelisted text is run; with query text, that text must hash to the id. Anything else
 * is refused with PERSISTED_QUERY_NOT_ALLOWED; a READ_ONLY partner's mutations with FORBIDDEN. Every partner
 * operation spends its measured cost from the partner's budget per minute (`CostBudget`, in Redis when
 * configured, so shared by every gateway replica), over
 * which it is RATE_LIMITED with `retryAfter`; every partner response reports `extensions.cost`.
 */
export function partnerAccess(
  options: PartnerOptions,
  signer: IdentitySigner,
  costOptions: CostOptions,
  /** An operation the query limits already refused spends no cost budget. */
  alreadyRefused: (request: object) => boolean = () => false,
  stores: PartnerStores = { buckets: new MemoryLeakyBuckets() },
): PartnerAccess {
  const directory = new PartnerDirectory(options.verifyUrl, signer, options.keyCacheSeconds);
  const safelists = new Safelists(options.manifestsDir);
  const budget = new CostBudget(options.costPerMinute, stores.buckets);

  const identify = async (req: http.IncomingMessage, beforeLookup?: () => Promise<void>): Promise<Identity | null> => {
    const key = headerValue(req.headers[API_KEY_HEADER]);
    return key === undefined ? null : partnerIdentity(await directory.resolve(key, beforeLookup));
  };

  const plugin: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart({ request }) {
      const key = request.http ? headerValue(request.http.headers.get(API_KEY_HEADER) ?? undefined) : undefined;
      if (key === undefined) return;
      // `identify` has just resolved the key, so this answer comes from the directory's cache.
      const grant = await directory.resolve(key);
      const hash = persistedHash(request);
      const operation = hash ? await safelists.find(grant.partner, hash) : undefined;
      const allowed = operation !== undefined && (request.query === undefined || operationHash(request.query) === operation.id);
      if (allowed) request.query = operation.body;
      else {
        // Apollo would otherwise run (or register) the text: it is replaced, and refused once resolved.
        request.query = REFUSED_PLACEHOLDER;
        if (request.extensions) delete request.extensions.persistedQuery;
      }
      let cost: CostReport = await budget.report(grant.partner);
      return {
        async didResolveOperation({ schema, document, operation: resolved }) {
          if (!allowed) throw refusal(CommonErrors.create('PERSISTED_QUERY_NOT_ALLOWED'), 400);
          if (resolved?.operation === 'mutation' && grant.scope === 'READ_ONLY') {
            throw refusal(CommonErrors.create('FORBIDDEN', { message: 'This API key may only read.' }), 403);
          }
          if (!resolved || alreadyRefused(request)) return;
          const decision = await budget.spend(grant.partner, measureOperation(schema, document, resolved, request.variables, costOptions).cost);
          cost = { requested: decision.requested, remaining: decision.remaining, limit: decision.limit };
          if (decision.retryAfter !== undefined) {
            const message = `The cost budget is spent; try again in ${decision.retryAfter} s.`;
            throw CommonErrors.create('RATE_LIMITED', { retryAfter: decision.retryAfter, message });
          }
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, cost };
        },
      };
    },
  };
  return { identify, plugin };
}
