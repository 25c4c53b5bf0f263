import { defineErrors } from '@shop/platform';

/** The accounts service's own business errors (the common ones come from the platform). */
export const AccountsErrors = defineErrors({
  INVALID_CREDENTIALS: { retryable: false, message: 'The email or password is wrong.' },
  INVALID_CODE: { retryable: false, message: 'The code is wrong or has expired; request a new one.' },
  INVALID_REFRESH_TOKEN: { retryable: false, message: 'The refresh token is invalid, expired or already used; sign in again.' },
  EMAIL_TAKEN: { retryable: false, message: 'This email address cannot be used for a new account.' },
  INVALID_VERIFICATION_LINK: { retryable: false, message: 'The verification link is invalid or has expired; request a new one.' },
});
