import {
  buildASTSchema,
  getNamedType,
  isInputObjectType,
  Kind,
  parse,
  type ConstDirectiveNode,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';

/** A root field that takes an id (directly or inside an input), or an entity type; the matrix checks each one. */
export type IdorTarget = RootFieldTarget | EntityTarget;

export interface RootFieldTarget {
  readonly kind: 'Query' | 'Mutation';
  /** `Query.product`, `Mutation.updateProduct`: the key of its fixture or exemption. */
  readonly key: string;
  readonly field: string;
  /** Where the ids sit in the arguments, e.g. `id`, `input.categoryId`, `input.lines[].variantId`. */
  readonly idPaths: readonly string[];
}

export interface EntityTarget {
  readonly kind: 'Entity';
  /** `Entity.Product`. */
  readonly key: string;
  readonly typeName: string;
  /** The top-level fields of each `@key`, per subgraph that resolves the entity. */
  readonly keyFields: readonly string[];
  /** Names of the subgraphs (`join__Graph` names) that answer `_entities` for it. */
  readonly subgraphs: readonly string[];
}

/** Everything the matrix must cover in a composed supergraph SDL. */
export function discoverTargets(supergraphSdl: string): IdorTarget[] {
  // The supergraph declares every join__/link__ directive it uses, so it builds as plain SDL.
  const schema = buildASTSchema(parse(supergraphSdl), { assumeValidSDL: true });
  return [...rootFieldTargets(schema), ...entityTargets(schema)];
}

function rootFieldTargets(schema: GraphQLSchema): RootFieldTarget[] {
  const roots = [
    ['Query', schema.getQueryType()],
    ['Mutation', schema.getMutationType()],
  ] as const;
  return roots.flatMap(([kind, type]) =>
    Object.values(type?.getFields() ?? {}).flatMap((field) => {
      const idPaths = argumentIdPaths(field);
      return idPaths.length > 0 ? [{ kind, key: `${kind}.${field.name}`, field: field.name, idPaths }] : [];
    }),
  );
}

function argumentIdPaths(field: GraphQLField<unknown, unknown>): string[] {
  return field.args.flatMap((arg) => idPathsIn(arg.type, step(arg.name, arg.type), new Set()));
}

/** Paths to every ID inside `type`, at any depth; `seen` stops at recursive inputs. */
function idPathsIn(type: GraphQLInputType, path: string, seen: ReadonlySet<string>): string[] {
  const named = getNamedType(type);
  if (named.name === 'ID') return [path];
  if (!isInputObjectType(named) || seen.has(named.name)) return [];
  const inside = new Set([...seen, named.name]);
  return Object.values(named.getFields()).flatMap((field) => idPathsIn(field.type, `${path}.${step(field.name, field.type)}`, inside));
}

/** `lines[]` for a list, so a path shows where a fixture has to put the id. */
function step(name: string, type: GraphQLInputType): string {
  return type.toString().replace(/!$/, '').startsWith('[') ? `${name}[]` : name;
}

function entityTargets(schema: GraphQLSchema): EntityTarget[] {
  const graphNames = joinGraphNames(schema);
  return Object.values(schema.getTypeMap()).flatMap((type) => {
    const keys = resolvableKeys(type);
    if (keys.length === 0) return [];
    const subgraphs = [...new Set(keys.map((key) => graphNames.get(key.graph) ?? key.graph))];
    const keyFields = [...new Set(keys.flatMap((key) => key.fields))];
    return [{ kind: 'Entity' as const, key: `Entity.${type.name}`, typeName: type.name, keyFields, subgraphs }];
  });
}

/** `join__Graph` enum value (CATALOG) to subgraph name (catalog). */
function joinGraphNames(schema: GraphQLSchema): Map<string, string> {
  const graphs = schema.getType('join__Graph');
  const values = graphs?.astNode?.kind === Kind.ENUM_TYPE_DEFINITION ? (graphs.astNode.values ?? []) : [];
  return new Map(
    values.map((value) => {
      const name = stringArgument(value.directives?.find((d) => d.name.value === 'join__graph'), 'name');
      return [value.name.value, name ?? value.name.value.toLowerCase()];
    }),
  );
}

interface JoinKey {
  readonly graph: string;
  readonly fields: readonly string[];
}

/** The `@join__type(graph:, key:)` of an object type whose subgraph resolves references. */
function resolvableKeys(type: GraphQLNamedType): JoinKey[] {
  if (type.name.startsWith('join__') || type.name.startsWith('link__')) return [];
  const directives = type.astNode?.directives ?? [];
  return directives.flatMap((directive) => {
    if (directive.name.value !== 'join__type') return [];
    const key = stringArgument(directive, 'key');
    const graph = enumArgument(directive, 'graph');
    if (!key || !graph || booleanArgument(directive, 'resolvable') === false) return [];
    return [{ graph, fields: topLevelFields(key) }];
  });
}

function topLevelFields(fieldSet: string): string[] {
  const operation = parse(`{ ${fieldSet} }`).definitions[0];
  if (operation?.kind !== Kind.OPERATION_DEFINITION) return [];
  return operation.selectionSet.selections.flatMap((selection) => (selection.kind === Kind.FIELD ? [selection.name.value] : []));
}

function argumentNode(directive: ConstDirectiveNode | undefined, name: string) {
  return directive?.arguments?.find((argument) => argument.name.value === name)?.value;
}

function stringArgument(directive: ConstDirectiveNode | undefined, name: string): string | undefined {
  const value = argumentNode(directive, name);
  return value?.kind === Kind.STRING ? value.value : undefined;
}

function enumArgument(directive: ConstDirectiveNode, name: string): string | undefined {
  const value = argumentNode(directive, name);
  return value?.kind === Kind.ENUM ? value.value : undefined;
}

function booleanArgument(directive: ConstDirectiveNode, name: string): boolean | undefined {
  const value = argumentNode(directive, name);
  return value?.kind === Kind.BOOLEAN ? value.value : undefined;
}
