import { badUserInput, notFound } from '@shop/platform';

/**
 * The inventory's errors. Its expected outcomes are all common codes (CONTRACT): an unknown
 * variant is NOT_FOUND, a change that would oversell or go negative is BAD_USER_INPUT naming the field.
 */
export const InventoryErrors = {
  unknownVariant: (variantId: string) => notFound(`No variant ${variantId} is known to inventory.`),
  belowCommitments: (field: string, needed: number) =>
    badUserInput(field, `${field}: stock cannot go below the ${needed} units reserved or committed for orders`),
};
