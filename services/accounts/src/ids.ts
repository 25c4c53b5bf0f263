import { z } from 'zod';

const NO_ROW = '00000000-0000-0000-0000-000000000000';

/**
 * `id` when it is a uuid, otherwise one that matches no row: ids from clients and access tokens'
 * subjects are opaque strings, and a malformed one must read as "not found", not fail the query.
 */
export function uuidOrNone(id: string): string {
  return z.uuid().safeParse(id).success ? id : NO_ROW;
}
