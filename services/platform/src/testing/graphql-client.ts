/** A GraphQL answer as a test sees it. */
export interface GraphQLAnswer<Data = Record<string, unknown>> {
  readonly status: number;
  readonly headers: Headers;
  readonly data?: Data | null;
  readonly errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  /** The raw body, for assertions that nothing internal leaks. */
  readonly text: string;
}

/** POSTs one GraphQL operation, as a client would. */
export async function postGraphQL<Data = Record<string, unknown>>(
  url: string,
  query: string,
  options: { variables?: Record<string, unknown>; headers?: Record<string, string> } = {},
): Promise<GraphQLAnswer<Data>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: JSON.stringify({ query, variables: options.variables }),
  });
  const text = await response.text();
  const body = JSON.parse(text) as Pick<GraphQLAnswer<Data>, 'data' | 'errors'>;
  return { status: response.status, headers: response.headers, data: body.data, errors: body.errors, text };
}

/** The `extensions.code` of each error, for short assertions. */
export function errorCodes(answer: GraphQLAnswer<unknown>): string[] {
  return (answer.errors ?? []).map((error) => String(error.extensions?.code));
}
