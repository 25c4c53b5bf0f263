import type { z } from 'zod';
import { badUserInput } from './common-errors';

/**
 * Validates a client's input with zod; the first problem becomes BAD_USER_INPUT naming the field
 * as a dotted path from `root` (`input.variants.0.sku`), so clients can point at it.
 */
export function parseInput<Schema extends z.ZodType>(schema: Schema, value: unknown, root: string): z.infer<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = [root, ...(issue?.path ?? []).map(String)].join('.');
  throw badUserInput(field, `${field}: ${issue?.message ?? 'is invalid'}`);
}
