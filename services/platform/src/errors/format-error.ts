import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import { BusinessError, isKnownErrorCode } from './business-error';
import { logger } from '../logging/logger';
import { currentCorrelationId } from '../logging/correlation';

/** What a client reads for any unexpected failure. */
export const INTERNAL_MESSAGE = 'Internal server error';

/** Codes Apollo Server itself produces for a malformed request: safe to show as they are. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

/** Codes whose messages come from somewhere unknown: always replaced by the masked answer. */
const MASKED_CODES = new Set(['INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE']);

/** The error a resolver threw, unwrapped from the GraphQLError graphql-js put around it. */
export function originalError(error: unknown): unknown {
  let current = error;
  while (current instanceof GraphQLError && current.originalError) current = current.originalError;
  return current;
}

function businessShape(formatted: GraphQLFormattedError, error: BusinessError): GraphQLFormattedError {
  return {
    message: error.message,
    locations: formatted.locations,
    path: formatted.path,
    extensions: { ...error.details, code: error.code, retryable: error.retryable },
  };
}

/**
 * Apollo `formatError` for every server: business errors and request errors pass with their code
 * and `retryable`; anything else is logged in full and masked, so no stack, SQL or file path ever
 * reaches a client (PLAT-1, SEC-6).
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = originalError(error);
  if (original instanceof BusinessError) return businessShape(formatted, original);

  const code = formatted.extensions?.code;
  if (typeof code === 'string' && !MASKED_CODES.has(code) && (REQUEST_ERROR_CODES.has(code) || isKnownErrorCode(code))) {
    const { stacktrace: _stack, exception: _exception, ...safe } = formatted.extensions ?? {};
    return {
      message: formatted.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { retryable: false, ...safe, code },
    };
  }

  logger.error({ err: original, path: formatted.path }, 'unexpected error');
  return {
    message: INTERNAL_MESSAGE,
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR', retryable: true, correlationId: currentCorrelationId() },
  };
}

/** The code a client will see for `error`, for metrics and logs. */
export function errorCodeOf(error: unknown): string {
  const original = originalError(error);
  if (original instanceof BusinessError) return original.code;
  const code = error instanceof GraphQLError ? error.extensions.code : undefined;
  return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
}
