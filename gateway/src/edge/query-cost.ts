import {
  getArgumentValues,
  getNamedType,
  getNullableType,
  getVariableValues,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  Lexer,
  SchemaMetaFieldDef,
  Source,
  TokenKind,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** What one operation asks for, with every fragment expanded where it is spread. */
export interface QueryMeasures {
  /** Nesting of ordinary fields; the first level is 1. */
  readonly depth: number;
  /** Nesting of `__schema` and `__type` subtrees, measured apart (see `measureOperation`). */
  readonly introspectionDepth: number;
  readonly aliases: number;
  readonly directives: number;
  /** Estimated fields resolved: each field 1, a list field's subtree times its page size. */
  readonly cost: number;
}

/** How list sizes are estimated when a query does not state them. */
export interface CostOptions {
  /** Items assumed for a list field without a `first`, `last` or `limit` argument. */
  readonly defaultListSize: number;
}

const SIZE_ARGUMENTS = ['first', 'last', 'limit'];

/** Where a selection set sits: inside introspection or not, and the page size of the connection it selects from. */
interface Scope {
  readonly introspection: boolean;
  readonly page: number;
}
const NOTHING: QueryMeasures = { depth: 0, introspectionDepth: 0, aliases: 0, directives: 0, cost: 0 };

/** Selections side by side: the deepest counts, the rest add up. */
function beside(a: QueryMeasures, b: QueryMeasures): QueryMeasures {
  return {
    depth: Math.max(a.depth, b.depth),
    introspectionDepth: Math.max(a.introspectionDepth, b.introspectionDepth),
    aliases: a.aliases + b.aliases,
    directives: a.directives + b.directives,
    cost: a.cost + b.cost,
  };
}

function fieldDefinition(parent: GraphQLNamedType | undefined, name: string): GraphQLField<unknown, unknown> | undefined {
  // Names starting with `__` are reserved; validation allows `__schema` and `__type` on the query root only.
  const meta = [TypeNameMetaFieldDef, SchemaMetaFieldDef, TypeMetaFieldDef].find((definition) => definition.name === name);
  if (meta) return meta;
  return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
}

/** A Relay connection: its lists (`edges`, `nodes`) are as long as the connection field's `first`. */
function isConnection(type: GraphQLNamedType | undefined): boolean {
  if (!isObjectType(type) && !isInterfaceType(type)) return false;
  const fields = type.getFields();
  return 'edges' in fields && 'pageInfo' in fields;
}

/**
 * Measures the operation `operation` of `document` against `schema`, for limits checked before
 * it runs. Fragments (named and inline) count wherever they are spread; each named fragment is
 * measured once per request. Cost: every field 1, and a list field's subtree times its length:
 * for a field with a `first`, `last` or `limit` argument that value (the schema's default when
 * omitted, else `defaultListSize`), for any other list `defaultListSize`. A connection field's
 * size goes to its lists (`edges`, `nodes`), not to `pageInfo`. Introspection (`__schema`, `__type`) is answered by the
 * gateway from memory: its lists are not multiplied and its depth is reported apart, so that a
 * client's standard introspection query is judged against its own allowance.
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  rawVariables: Readonly<Record<string, unknown>> | undefined,
  options: CostOptions,
): QueryMeasures {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables ?? {});
  const variables = coerced.coerced ?? {};
  const measuredFragments = new Map<string, QueryMeasures>();

  /** The page size a field's arguments ask for, or undefined when it takes none. */
  const requestedSize = (definition: GraphQLField<unknown, unknown>, node: FieldNode): number | undefined => {
    if (!definition.args.some((arg) => SIZE_ARGUMENTS.includes(arg.name))) return undefined;
    let values: Record<string, unknown> = {};
    try {
      values = getArgumentValues(definition, node, variables);
    } catch {
      // Invalid arguments fail at execution; until then the default estimate stands.
    }
    const sizes = SIZE_ARGUMENTS.map((name) => values[name]).filter((value): value is number => typeof value === 'number');
    return sizes.length > 0 ? Math.max(0, ...sizes) : options.defaultListSize;
  };

  /** How many times a field's subtree runs, and how long the lists of the connection it returns are. */
  const sizing = (definition: GraphQLField<unknown, unknown>, node: FieldNode, parent: GraphQLNamedType | undefined, page: number) => {
    const requested = requestedSize(definition, node);
    if (requested !== undefined) {
      return isConnection(getNamedType(definition.type)) ? { multiplier: 1, page: requested } : { multiplier: requested, page: options.defaultListSize };
    }
    const list = isListType(getNullableType(definition.type));
    return { multiplier: !list ? 1 : isConnection(parent) ? page : options.defaultListSize, page: options.defaultListSize };
  };

  const field = (node: FieldNode, parent: GraphQLNamedType | undefined, scope: Scope): QueryMeasures => {
    const definition = fieldDefinition(parent, node.name.value);
    const introspection = scope.introspection || definition === SchemaMetaFieldDef || definition === TypeMetaFieldDef;
    const type = definition ? getNamedType(definition.type) : undefined;
    const sized = definition && !introspection ? sizing(definition, node, parent, scope.page) : { multiplier: 1, page: 1 };
    const below = node.selectionSet ? selections(node.selectionSet, type, { introspection, page: sized.page }) : NOTHING;
    return {
      depth: introspection ? 0 : 1 + below.depth,
      introspectionDepth: introspection ? 1 + below.introspectionDepth : below.introspectionDepth,
      aliases: (node.alias ? 1 : 0) + below.aliases,
      directives: (node.directives?.length ?? 0) + below.directives,
      cost: 1 + sized.multiplier * below.cost,
    };
  };

  const fragment = (name: string, scope: Scope): QueryMeasures => {
    const key = `${name}:${scope.introspection}:${scope.page}`;
    const known = measuredFragments.get(key);
    if (known) return known;
    const definition = fragments.get(name);
    // Validation has refused unknown fragments and spread cycles; the placeholder keeps a cycle finite regardless.
    measuredFragments.set(key, NOTHING);
    if (!definition) return NOTHING;
    const inner = selections(definition.selectionSet, schema.getType(definition.typeCondition.name.value), scope);
    const measured = { ...inner, directives: inner.directives + (definition.directives?.length ?? 0) };
    measuredFragments.set(key, measured);
    return measured;
  };

  function selections(set: SelectionSetNode, parent: GraphQLNamedType | undefined, scope: Scope): QueryMeasures {
    let total = NOTHING;
    for (const selection of set.selections) {
      const own = { ...NOTHING, directives: selection.directives?.length ?? 0 };
      if (selection.kind === Kind.FIELD) {
        total = beside(total, field(selection, parent, scope));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        total = beside(beside(total, own), selections(selection.selectionSet, type, scope));
      } else {
        total = beside(beside(total, own), fragment(selection.name.value, scope));
      }
    }
    return total;
  }

  const root = selections(operation.selectionSet, schema.getRootType(operation.operation) ?? undefined, { introspection: false, page: options.defaultListSize });
  const operationDirectives =
    (operation.directives?.length ?? 0) + (operation.variableDefinitions ?? []).reduce((sum, variable) => sum + (variable.directives?.length ?? 0), 0);
  return { ...root, directives: root.directives + operationDirectives };
}

/**
 * Counts the lexical tokens of a GraphQL document as the parser does (comments excluded), and
 * stops at `max + 1`: a document over the bound is refused without lexing the rest of it. A
 * syntax error ends the count; the parser reports it.
 */
export function countTokens(source: string, max: number): number {
  const lexer = new Lexer(new Source(source));
  let count = 0;
  try {
    while (count <= max && lexer.advance().kind !== TokenKind.EOF) count += 1;
  } catch {
    return count;
  }
  return count;
}
