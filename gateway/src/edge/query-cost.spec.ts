import { buildSchema, getIntrospectionQuery, getOperationAST, parse, validate } from 'graphql';
import { countTokens, measureOperation } from './query-cost';

const schema = buildSchema(`
  type Query { products(first: Int = 20, after: String): ProductConnection! product(id: ID!): Product categories: [Category!]! }
  type ProductConnection { edges: [ProductEdge!]! pageInfo: PageInfo! }
  type ProductEdge { cursor: String! node: Product! }
  type PageInfo { hasNextPage: Boolean! }
  type Product { id: ID! name: String! variants: [Variant!]! category: Category }
  type Variant { sku: String! product: Product! }
  type Category { id: ID! parent: Category }
`);

function measure(query: string, variables: Record<string, unknown> = {}, defaultListSize = 10) {
  const document = parse(query);
  expect(validate(schema, document)).toEqual([]);
  const operation = getOperationAST(document);
  if (!operation) throw new Error('no operation');
  return measureOperation(schema, document, operation, variables, { defaultListSize });
}

describe('measureOperation (SEC-7)', () => {
  test("SEC-7: every field costs 1; a connection's first multiplies its edges, not its pageInfo", () => {
    // products 1 + edges (1 + 5 × (node 1 + id 1 + name 1)) + pageInfo (1 + hasNextPage 1)
    expect(measure('{ products(first: 5) { edges { node { id name } } pageInfo { hasNextPage } } }')).toMatchObject({ depth: 4, cost: 1 + 16 + 2 });
  });

  test("SEC-7: without first the schema's default page size counts; a variable counts as sent", () => {
    const cost = (page: number) => 1 + 1 + page * 2;
    expect(measure('{ products { edges { node { id } } } }').cost).toBe(cost(20));
    expect(measure('query($n: Int) { products(first: $n) { edges { node { id } } } }', { n: 100 }).cost).toBe(cost(100));
    expect(measure('query($n: Int = 2) { products(first: $n) { edges { node { id } } } }').cost).toBe(cost(2));
  });

  test('SEC-7: a list without a size argument counts the default list size, nested lists multiply', () => {
    // product 1 + (variants 1 + 10 × (product 1 + (variants 1 + 10 × sku 1)))
    expect(measure('{ product(id: "1") { variants { product { variants { sku } } } } }')).toMatchObject({ depth: 5, cost: 1 + 1 + 10 * (1 + 1 + 10) });
  });

  test('SEC-7: named and inline fragments count where they are spread, with their aliases and directives', () => {
    const viaFragments = measure(`
      { a: product(id: "1") { ...P } b: product(id: "2") { ... on Product @include(if: true) { ...P } } }
      fragment P on Product { x: id category { parent { id } } }
    `);
    const inline = measure(`
      { a: product(id: "1") { x: id category { parent { id } } } b: product(id: "2") { x: id category { parent { id } } } }
    `);
    expect(viaFragments).toMatchObject({ depth: inline.depth, cost: inline.cost, aliases: 4, directives: 1 });
    expect(inline.depth).toBe(4);
    const onConnection = measure('{ products(first: 5) { ...Page } } fragment Page on ProductConnection { edges { node { id } } }');
    expect(onConnection.cost).toBe(measure('{ products(first: 5) { edges { node { id } } } }').cost);
  });

  test('SEC-7: introspection is measured apart: its lists are not multiplied and its depth is its own', () => {
    const query = getIntrospectionQuery({ inputValueDeprecation: true, schemaDescription: true });
    const measured = measure(query);
    expect(measured.depth).toBe(0);
    expect(measured.introspectionDepth).toBe(15); // __schema types fields args type, then kind under nine ofType
    expect(measure(query, {}, 1000).cost).toBe(measured.cost);
    expect(measured.cost).toBeLessThan(300);
  });

  test('SEC-7: tokens are counted like the parser counts them, and the count stops past the limit', () => {
    const document = '{ a b(c: 1) } # a comment';
    expect(countTokens(document, 100)).toBe(9);
    expect(() => parse(document, { maxTokens: 9 })).not.toThrow();
    expect(() => parse(document, { maxTokens: 8 })).toThrow(/8 tokens/);
    expect(countTokens(`{ ${'a '.repeat(10_000)}}`, 50)).toBe(51);
  });
});
