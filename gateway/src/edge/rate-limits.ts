import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type OperationDefinitionNode } from 'graphql';
import { BusinessError, CommonErrors, RateLimiter, type RateLimitRule, type RateLimitStore } from '@shop/platform';
import type { GatewayContext } from '../subgraph-data-source';

/** Requests per minute; each an environment variable (see config.ts), all scaled by RATE_LIMIT_SCALE. */
export interface GatewayRateLimits {
  /** Operations per client address per minute. */
  readonly perClient: number;
  /** Operations per signed-in user per minute. */
  readonly perUser: number;
  /** Sign-in operations (login, register, OTP, refresh) per client per minute. */
  readonly auth: number;
  /** Coupon, payment and order-tracking operations per client per minute. */
  readonly sensitive: number;
}

/** Root fields that get the stricter buckets: guessing passwords, codes, coupons, order references. */
const AUTH_FIELDS = new Set(['login', 'register', 'requestOtp', 'verifyOtp', 'refreshToken']);
const SENSITIVE_FIELDS = new Set(['applyCoupon', 'payOrder', 'trackOrder', 'checkout']);
const MINUTE = 60;

function rules(limits: GatewayRateLimits) {
  return {
    client: { name: 'gw-client', limit: limits.perClient, windowSeconds: MINUTE },
    user: { name: 'gw-user', limit: limits.perUser, windowSeconds: MINUTE },
    auth: { name: 'gw-auth', limit: limits.auth, windowSeconds: MINUTE },
    sensitive: { name: 'gw-sensitive', limit: limits.sensitive, windowSeconds: MINUTE },
  } satisfies Record<string, RateLimitRule>;
}

/** The root field names of the operation, once per occurrence: 100 aliased logins are 100 logins. */
function rootFields(operation: OperationDefinitionNode): string[] {
  return operation.selectionSet.selections.flatMap((selection) => (selection.kind === Kind.FIELD ? [selection.name.value] : []));
}

function rateLimited(retryAfter: number): BusinessError {
  return CommonErrors.create('RATE_LIMITED', { retryAfter, message: `Too many requests; try again in ${retryAfter} s.` });
}

/**
 * Rate limits at the gateway (SEC-7): every operation is one hit against the client's and the
 * user's budgets, and every sign-in, coupon, payment or tracking field in it one more against a
 * stricter per-client bucket. Checked after parsing, before any subgraph is called; a refusal is
 * RATE_LIMITED with `retryAfter` and a `Retry-After` header (HTTP 429). With Redis the budgets are
 * shared by every gateway replica.
 */
export function rateLimitPlugin(
  store: RateLimitStore,
  limits: GatewayRateLimits,
  scale: number,
  /** An operation another plugin already refused (query limits) spends no budget. */
  alreadyRefused: (request: object) => boolean = () => false,
): ApolloServerPlugin<GatewayContext> {
  const limiter = new RateLimiter(store, scale);
  const rule = rules(limits);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue, request }) {
          if (alreadyRefused(request)) return;
          const subject = contextValue.clientAddress;
          const user = contextValue.identity.userId;
          await limiter.consumeAll([{ rule: rule.client, subject }, ...(user ? [{ rule: rule.user, subject: user }] : [])]);
          // The stricter buckets count every occurrence: 100 aliased logins are 100 logins.
          const names = operation ? rootFields(operation) : [];
          for (const [bucket, fields] of [[rule.auth, AUTH_FIELDS], [rule.sensitive, SENSITIVE_FIELDS]] as const) {
            const hits = names.filter((name) => fields.has(name)).length;
            // More than a whole window allows is refused outright, without spending the budget.
            if (hits > limiter.effectiveLimit(bucket)) throw rateLimited(bucket.windowSeconds);
            for (let hit = 0; hit < hits; hit += 1) await limiter.consume(bucket, subject);
          }
        },
        async willSendResponse({ response, errors }) {
          const limited = errors?.map((error) => error.originalError).find((error) => error instanceof BusinessError && error.code === 'RATE_LIMITED');
          const retryAfter = limited instanceof BusinessError ? limited.details.retryAfter : undefined;
          if (retryAfter === undefined) return;
          response.http.status = 429;
          response.http.headers.set('retry-after', String(retryAfter));
        },
      };
    },
  };
}
