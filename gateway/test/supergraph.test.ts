import { readFileSync } from 'node:fs';
import { composeSupergraph, SUPERGRAPH_PATH } from '../src';

test('the checked-in supergraph is what the subgraph SDL files compose to (run `npm run compose` after an SDL change)', () => {
  expect(readFileSync(SUPERGRAPH_PATH, 'utf8')).toBe(composeSupergraph());
});
