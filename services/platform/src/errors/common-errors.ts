import { defineErrors } from './business-error';

/** Codes every service and the gateway share (CONTRACT.md, "Conventions"). */
export const CommonErrors = defineErrors({
  UNAUTHENTICATED: { retryable: false, message: 'Sign in to do this.' },
  FORBIDDEN: { retryable: false, message: 'You are not allowed to do this.' },
  NOT_FOUND: { retryable: false, message: 'Not found.' },
  BAD_USER_INPUT: { retryable: false, message: 'The input is invalid.' },
  RATE_LIMITED: { retryable: true, message: 'Too many requests; try again later.' },
  QUERY_TOO_COMPLEX: { retryable: false, message: 'The query exceeds the allowed depth or cost.' },
  PERSISTED_QUERY_NOT_ALLOWED: { retryable: false, message: 'This client may only run its safelisted operations.' },
  INTERNAL_SERVER_ERROR: { retryable: true, message: 'Internal server error' },
  SERVICE_UNAVAILABLE: { retryable: true, message: 'A service is temporarily unavailable.' },
});

/** A validation failure naming the input field at fault. */
export function badUserInput(field: string, message: string) {
  return CommonErrors.create('BAD_USER_INPUT', { field, message });
}

/** Not found and not yours answer identically, so ids cannot be probed (SEC-3). */
export function notFound(message = 'Not found.') {
  return CommonErrors.create('NOT_FOUND', { message });
}
