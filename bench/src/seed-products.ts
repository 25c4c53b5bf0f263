import { expectData, postGraphQL } from './graphql-client';
import { CREATE_PRODUCT_MUTATION } from './queries';

/** Creates `count` products (one variant each) through the gateway as staff; returns their ids. */
export async function createProducts(gatewayUrl: string, token: string, count: number): Promise<string[]> {
  const runId = Date.now().toString(36);
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const input = {
      name: `Bench product ${runId} ${index}`,
      variants: [{ sku: `BENCH-${runId}-${index}`, name: 'Default', price: { amount: '9.90', currency: 'EUR' } }],
    };
    const answer = await postGraphQL(gatewayUrl, CREATE_PRODUCT_MUTATION, { input }, { authorization: `Bearer ${token}` });
    const created = expectData(answer, `createProduct #${index}`).createProduct as { id?: unknown } | undefined;
    if (typeof created?.id !== 'string') throw new Error(`createProduct #${index} returned no id: ${answer.text.slice(0, 300)}`);
    ids.push(created.id);
  }
  return ids;
}
