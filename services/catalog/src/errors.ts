import { defineErrors } from '@shop/platform';

/** The catalog's own business errors (the common ones come from the platform). */
export const CatalogErrors = defineErrors({
  PRODUCT_ARCHIVED: { retryable: false, message: 'The product is archived and can no longer be changed.' },
});
