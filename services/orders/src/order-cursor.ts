import { badUserInput } from '@shop/platform';

/** Where a page of orders starts: after this (createdAt, id). Opaque to clients (base64url). */
export interface OrderCursor {
  readonly createdAt: Date;
  readonly id: string;
}

/** The cursor of an order in a newest-first list. */
export function encodeOrderCursor(cursor: OrderCursor): string {
  return Buffer.from(`${cursor.createdAt.toISOString()}|${cursor.id}`, 'utf8').toString('base64url');
}

/** Reads a cursor the client got from us; anything else is BAD_USER_INPUT on `after`. */
export function decodeOrderCursor(value: string): OrderCursor {
  const [at = '', id = ''] = Buffer.from(value, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at);
  if (Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) throw badUserInput('after', 'after: is not a cursor from this list');
  return { createdAt, id };
}
