import { badUserInput } from '@shop/platform';
import { entityId } from './product.input';

/** Where a page starts: after a product id (newest-first lists) or a (rank, id) pair (search). */
export type PageCursor = { kind: 'list'; id: string } | { kind: 'search'; rank: number; id: string };

/** Cursors are opaque to clients: base64url of a small tagged string. */
export function encodeCursor(cursor: PageCursor): string {
  const text = cursor.kind === 'list' ? `l:${cursor.id}` : `s:${cursor.rank}:${cursor.id}`;
  return Buffer.from(text, 'utf8').toString('base64url');
}

/** Reads a cursor the client got from us; anything else is BAD_USER_INPUT on `after`. */
export function decodeCursor(value: string, expected: PageCursor['kind']): PageCursor {
  const parts = Buffer.from(value, 'base64url').toString('utf8').split(':');
  const id = parts.at(-1) ?? '';
  if (!entityId.safeParse(id).success) throw badUserInput('after', 'after: is not a cursor from this list');
  if (expected === 'list' && parts.length === 2 && parts[0] === 'l') return { kind: 'list', id };
  const rank = Number(parts[1]);
  if (expected === 'search' && parts.length === 3 && parts[0] === 's' && Number.isFinite(rank)) return { kind: 'search', rank, id };
  throw badUserInput('after', 'after: is not a cursor from this list');
}
