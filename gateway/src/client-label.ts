import type { GraphQLRequestContext } from '@apollo/server';

/** The header Apollo clients name themselves with. */
const CLIENT_NAME_HEADER = 'apollographql-client-name';

/**
 * Who sent a request, for the `client` label of `graphql_requests_total` (PLAT-3): `partner:<name>`
 * for a partner's API key, else the name an Apollo client gives itself, else `web`. The metrics
 * cap the distinct values, since a client may send any name.
 */
export function gatewayClientOf({ contextValue, request }: GraphQLRequestContext<object>): string {
  const partner = (contextValue as { partner?: { partner?: unknown } | null }).partner?.partner;
  if (typeof partner === 'string' && partner) return `partner:${partner}`;
  const name = request.http?.headers.get(CLIENT_NAME_HEADER);
  // A partner label is earned with a key, never claimed in a header.
  return name && !name.startsWith('partner:') ? name : 'web';
}
