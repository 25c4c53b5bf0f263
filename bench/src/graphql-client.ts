import { signIdentity } from '@shop/platform';

/** A GraphQL answer as the bench reads it. */
export interface GraphQLAnswer {
  readonly status: number;
  readonly data: Record<string, unknown> | undefined;
  readonly errors: readonly unknown[] | undefined;
  readonly text: string;
}

/** Headers for a direct call to a subgraph: an anonymous identity signed with the gateway's secret. */
export function subgraphHeaders(secret: string): Record<string, string> {
  return { 'x-shop-identity': signIdentity({ userId: null, roles: [] }, secret) };
}

/** POSTs one GraphQL operation; never throws on HTTP or GraphQL errors, only on network failure. */
export async function postGraphQL(url: string, query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}): Promise<GraphQLAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(variables ? { query, variables } : { query }),
  });
  const text = await response.text();
  let parsed: { data?: Record<string, unknown>; errors?: unknown[] } = {};
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    // not JSON: left to the caller's checks
  }
  return { status: response.status, data: parsed.data, errors: parsed.errors, text };
}

/** Throws with the answer's text unless it is a 200 without errors; returns its data. */
export function expectData(answer: GraphQLAnswer, what: string): Record<string, unknown> {
  if (answer.status !== 200 || !answer.data || (answer.errors && answer.errors.length > 0)) {
    throw new Error(`${what}: HTTP ${answer.status}: ${answer.text.slice(0, 500)}`);
  }
  return answer.data;
}

/** The ids of `products.edges[].node`, checking there are exactly `count`. */
export function productIds(data: Record<string, unknown>, count: number, what: string): string[] {
  const products = data.products as { edges?: { node?: { id?: unknown } }[] } | undefined;
  const ids = (products?.edges ?? []).map((edge) => edge.node?.id).filter((id): id is string => typeof id === 'string');
  if (ids.length !== count) throw new Error(`${what}: expected ${count} product edges, got ${ids.length}`);
  return ids;
}
