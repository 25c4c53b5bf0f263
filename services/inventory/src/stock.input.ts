import { z } from 'zod';
import { parseInput } from '@shop/platform';

/** The most units one stock mutation may set or move. */
export const MAX_QUANTITY = 1_000_000;

const id = z.string().trim().min(1).max(64);
const reason = z.string().trim().min(1, 'must not be empty').max(500);
const warehouse = z.string().trim().min(1).max(64).optional();

/** `setStock` arguments. */
export const setStockArgs = { variantId: id, quantity: z.number().int().min(0).max(MAX_QUANTITY), reason, warehouse };
/** `adjustStock` arguments: a non-zero change of on-hand stock. */
export const adjustStockArgs = {
  variantId: id,
  delta: z.number().int().min(-MAX_QUANTITY).max(MAX_QUANTITY).refine((value) => value !== 0, 'must not be 0'),
  reason,
  warehouse,
};
/** `receiveReturn` arguments (INV-4's explicit return). */
export const receiveReturnArgs = { variantId: id, quantity: z.number().int().min(1).max(MAX_QUANTITY), reason, orderId: id.optional(), warehouse };
/** `setLowStockThreshold` arguments. */
export const thresholdArgs = { variantId: id, threshold: z.number().int().min(0).max(MAX_QUANTITY) };

type Parsed<Shape extends Record<string, z.ZodType>> = { [Key in keyof Shape]: z.infer<Shape[Key]> };

/**
 * Validates resolver arguments one by one, so BAD_USER_INPUT names the argument itself
 * (`quantity`, `reason`) as its field.
 */
export function parseArgs<Shape extends Record<string, z.ZodType>>(shape: Shape, args: Readonly<Record<string, unknown>>): Parsed<Shape> {
  const parsed: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(shape)) parsed[name] = parseInput(schema, args[name] ?? undefined, name);
  return parsed as Parsed<Shape>;
}
