import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { getIntrospectionQuery, GraphQLError, GraphQLSchema, Kind, parse, type DocumentNode, type OperationDefinitionNode, type ParseOptions } from 'graphql';
import { CommonErrors, formatError } from '@shop/platform';
import { countTokens, measureOperation, type QueryMeasures } from './query-cost';

/** The bounds every operation is held to (each an environment variable, see config.ts). */
export interface QueryLimits {
  readonly depth: number;
  readonly aliases: number;
  readonly directives: number;
  /** Lexical tokens of the whole document; the parser stops at the bound, before validation. */
  readonly tokens: number;
  /** Estimated fields resolved (see `measureOperation`). */
  readonly cost: number;
  /** Items assumed for a list the query does not size with `first`, `last` or `limit`. */
  readonly defaultListSize: number;
}

/** Which bound a refused query broke, as `extensions.limitKind`. */
export type LimitKind = 'depth' | 'aliases' | 'directives' | 'tokens' | 'cost';

/**
 * The depth of the fullest standard introspection query (GraphiQL's, Apollo's tooling), which
 * nests `ofType` nine times: introspection is allowed that deep whatever the depth limit is.
 * Abusive introspection (`fields { type { fields ... } }`) is refused by graphql-js's own
 * MaxIntrospectionDepthRule, which Apollo runs with every validation.
 */
const INTROSPECTION_DEPTH = (() => {
  const document = parse(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true, oneOf: true }));
  const operation = document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  const schema = new GraphQLSchema({});
  return operation ? measureOperation(schema, document, operation, {}, { defaultListSize: 1 }).introspectionDepth : 0;
})();

const MEASURED: Record<LimitKind, (measured: number, limit: number) => string> = {
  depth: (measured) => `its depth is ${measured}`,
  aliases: (measured) => `it has ${measured} aliases`,
  directives: (measured) => `it has ${measured} directives`,
  tokens: (_measured, limit) => `it has more than ${limit} tokens`,
  cost: (measured) => `its estimated cost is ${measured}`,
};

/**
 * QUERY_TOO_COMPLEX with the bound broken, what was measured and the limit. HTTP 400, like every
 * request Apollo refuses before running it (its default for a refusal in a plugin is 500).
 */
function tooComplex(limitKind: LimitKind, measured: number, limit: number): GraphQLError {
  const message = `The query is too complex: ${MEASURED[limitKind](measured, limit)}; the limit is ${limit}.`;
  const error = CommonErrors.create('QUERY_TOO_COMPLEX', { message, limitKind, measured, limit });
  return new GraphQLError(message, { originalError: error, extensions: { code: error.code, http: { status: 400 } } });
}

/** What `startGateway` wires: the plugin, and the parser's own token bound. */
export interface QueryLimitsWiring {
  readonly plugin: ApolloServerPlugin<BaseContext>;
  /** Apollo's `parseOptions`: graphql-js aborts a document past `limits.tokens` before parsing the rest. */
  readonly parseOptions: ParseOptions;
  /**
   * Whether this plugin refused the request's operation. Known as soon as the later plugins'
   * `didResolveOperation` starts, since this one decides before its first await.
   */
  refused(request: object): boolean;
}

/**
 * Query limits at the gateway (SEC-7). A document over `limits.tokens` is aborted by the parser
 * (before validation, whose cost grows faster than the document) and answered as QUERY_TOO_COMPLEX
 * instead of a syntax error. An operation deeper, with more aliases or directives, or costlier than
 * its bounds is refused once validated, before the query planner calls any subgraph. Each
 * operation of a batched request is measured on its own. Apollo starts every plugin's
 * `didResolveOperation` at once and answers with the first refusal: this one refuses before its
 * first await, so register it before plugins that refuse too (rate limits), whose hooks still run.
 */
export function queryLimits(limits: QueryLimits): QueryLimitsWiring {
  const introspectionDepth = Math.max(limits.depth, INTROSPECTION_DEPTH);
  const refusedRequests = new WeakSet<object>();
  // Apollo keeps one parsed document per query text, so an operation without variables (its
  // measures depend on nothing else) is measured once, not on every request.
  const measuredOperations = new WeakMap<OperationDefinitionNode, QueryMeasures>();
  const measure = (schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown> | undefined) => {
    if (operation.variableDefinitions?.length) return measureOperation(schema, document, operation, variables, limits);
    let measured = measuredOperations.get(operation);
    if (!measured) measuredOperations.set(operation, (measured = measureOperation(schema, document, operation, undefined, limits)));
    return measured;
  };
  const plugin: ApolloServerPlugin<BaseContext> = {
    async requestDidStart() {
      let refusedBeforeParsing: GraphQLError | undefined;
      return {
        async parsingDidStart({ source }) {
          return async (error) => {
            // A document over the bound fails on it (or on a syntax error before it): either way it is refused as too big.
            const tokens = error ? countTokens(source, limits.tokens) : 0;
            if (tokens > limits.tokens) refusedBeforeParsing = tooComplex('tokens', tokens, limits.tokens);
          };
        },
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const measured = measure(schema, document, operation, request.variables);
          const refusal =
            measured.depth > limits.depth ? tooComplex('depth', measured.depth, limits.depth)
            : measured.introspectionDepth > introspectionDepth ? tooComplex('depth', measured.introspectionDepth, introspectionDepth)
            : measured.aliases > limits.aliases ? tooComplex('aliases', measured.aliases, limits.aliases)
            : measured.directives > limits.directives ? tooComplex('directives', measured.directives, limits.directives)
            : measured.cost > limits.cost ? tooComplex('cost', measured.cost, limits.cost)
            : undefined;
          if (!refusal) return;
          refusedRequests.add(request);
          throw refusal;
        },
        // Apollo answers a failed parse as GRAPHQL_PARSE_FAILED (400); the contract's code replaces it.
        async willSendResponse({ response }) {
          if (!refusedBeforeParsing) return;
          response.body = { kind: 'single', singleResult: { errors: [formatError({ message: refusedBeforeParsing.message }, refusedBeforeParsing)] } };
        },
      };
    },
  };
  return { plugin, parseOptions: { maxTokens: limits.tokens }, refused: (request) => refusedRequests.has(request) };
}
