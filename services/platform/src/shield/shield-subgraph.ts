import type { GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { allow, deny, shield } from 'graphql-shield';
import type { IRules } from 'graphql-shield';
import { BusinessError, CommonErrors } from '../errors';
import { logger } from '../logging/logger';

/** Rules per type: a rule for a whole type, or one per field. */
export type ShieldRules = Record<string, IRules>;

/**
 * Federation's own entry points are allowed at the shield and guarded by each
 * `__resolveReference`. `_entities` exists only in subgraphs that declare an entity.
 */
function mergeRules(schema: GraphQLSchema, rules: ShieldRules): IRules {
  const hasEntities = Boolean(schema.getQueryType()?.getFields()._entities);
  const federation = { _service: allow, ...(hasEntities ? { _entities: allow } : {}) };
  const query = (rules.Query ?? {}) as Record<string, IRules>;
  return { _Service: allow, ...rules, Query: { ...query, ...federation } } as IRules;
}

/**
 * Wraps a subgraph schema with graphql-shield, deny by default: a type or field without a rule is
 * refused (SEC-3, SEC-4). Business errors from resolvers pass through; any other error is logged
 * and replaced, so nothing internal escapes through the shield either.
 */
export function shieldSubgraph(schema: GraphQLSchema, rules: ShieldRules): GraphQLSchema {
  const tree = mergeRules(schema, rules) as Record<string, unknown>;
  const permissions = shield(tree as IRules, {
    fallbackRule: deny,
    allowExternalErrors: false,
    fallbackError: (error: unknown) => (error ? maskError(error) : CommonErrors.create('FORBIDDEN')),
  });
  return applyMiddleware(schema, withoutAllowWrappers(permissions.generate(schema), tree));
}

/** Business errors pass; anything else is logged and replaced, so nothing internal escapes. */
function maskError(error: unknown): Error {
  if (error instanceof BusinessError) return error;
  logger.error({ err: error }, 'resolver failed');
  return CommonErrors.create('INTERNAL_SERVER_ERROR');
}

type Resolve = (parent: unknown, args: unknown, context: unknown, info: unknown) => unknown;
type FieldMiddleware = Record<string, Record<string, unknown>>;

/** What an `allow` field gets instead of shield's wrapper: the same error masking, but synchronous. */
function maskErrors(resolve: Resolve, parent: unknown, args: unknown, context: unknown, info: unknown): unknown {
  try {
    const result = resolve(parent, args, context, info);
    return result instanceof Promise ? result.catch(maskError) : result;
  } catch (error) {
    return maskError(error);
  }
}

/** The rule shield applies to a field: the type's rule, the field's, the type's `*`, or the fallback (deny). */
function effectiveRule(tree: Record<string, unknown>, type: string, field: string): unknown {
  const typeRules = tree[type];
  if (typeRules === undefined || typeRules === null) return deny;
  if (typeof typeRules !== 'object' || !isFieldMap(typeRules)) return typeRules;
  return typeRules[field] ?? typeRules['*'] ?? deny;
}

/** A rule has `resolve`; a map of field rules does not. */
function isFieldMap(value: object): value is Record<string, unknown> {
  return !('resolve' in value);
}

/**
 * Shield wraps every field, also those whose rule is `allow`, and makes each one asynchronous:
 * a list of plain fields then costs a promise per field. An `allow` wrapper checks nothing, so it
 * is replaced by a synchronous one that only masks errors; every other field keeps its rule, and
 * anything without a rule is still denied.
 */
function withoutAllowWrappers(generated: unknown, tree: Record<string, unknown>): FieldMiddleware {
  const middleware = generated as FieldMiddleware;
  for (const [type, fields] of Object.entries(middleware)) {
    for (const field of Object.keys(fields)) if (effectiveRule(tree, type, field) === allow) fields[field] = maskErrors;
  }
  return middleware;
}
