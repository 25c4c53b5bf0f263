import type { GraphQLFormattedError } from 'graphql';
import { formatError, INTERNAL_MESSAGE, logger, originalError } from '@shop/platform';

const NETWORK_CODES = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|UND_ERR_[A-Z_]+)$/;

/** A subgraph that cannot be reached: the fetch itself failed (refused, reset, timed out). */
function isConnectionFailure(error: unknown): boolean {
  // Duck-typed: fetch's errors come from Node's own realm, where `instanceof Error` may not hold.
  let current = error as { code?: unknown; cause?: unknown } | null | undefined;
  for (let depth = 0; current && typeof current === 'object' && depth < 5; depth += 1) {
    if (typeof current.code === 'string' && NETWORK_CODES.test(current.code)) return true;
    current = current.cause as typeof current;
  }
  return false;
}

function unavailable(formatted: GraphQLFormattedError): GraphQLFormattedError {
  return { message: 'A service is temporarily unavailable.', path: formatted.path, extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true } };
}

/**
 * Errors that come back from a subgraph were already masked there: their code, message and safe
 * details pass through (without naming the subgraph). A subgraph that cannot be reached becomes
 * SERVICE_UNAVAILABLE; everything else is masked like any unexpected error.
 */
export function formatGatewayError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const extensions = formatted.extensions ?? {};
  if (typeof extensions.serviceName !== 'string') {
    if (!isConnectionFailure(originalError(error))) return formatError(formatted, error);
    logger.warn({ err: originalError(error) }, 'subgraph unreachable');
    return unavailable(formatted);
  }
  const { serviceName, stacktrace: _stacktrace, exception: _exception, ...safe } = extensions;
  const code = typeof safe.code === 'string' ? safe.code : undefined;
  if (!code || code === 'INTERNAL_SERVER_ERROR') {
    if (code) return { message: INTERNAL_MESSAGE, path: formatted.path, extensions: { code, retryable: true } };
    logger.warn({ serviceName, message: formatted.message }, 'subgraph failed without a code');
    return unavailable(formatted);
  }
  return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { retryable: false, ...safe, code } };
}
