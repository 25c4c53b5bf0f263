import { accountsFixtures } from './accounts.fixtures';
import { catalogFixtures, type ShopServices } from './catalog.fixtures';
import { inventoryFixtures } from './inventory.fixtures';
import { ordersFixtures } from './orders.fixtures';
import { paymentsFixtures } from './payments.fixtures';
import { promotionsFixtures } from './promotions.fixtures';
import type { Exemptions, FixtureRegistry } from './registry';
import { shippingFixtures } from './shipping.fixtures';

export type { ShopServices };

/**
 * How the IDOR matrix (SEC-3) exercises each field of the shop's supergraph that takes an id, and
 * each entity. A field the schema gains fails the matrix, listed as uncovered, until it is here.
 *
 * To cover one: in the subgraph's `<name>.fixtures.ts` (create it and spread it in below), add an
 * entry under the key the failure names (`Mutation.updateAddress`, `Entity.Customer`, ...) with:
 * - `access`: `private` (another customer's object looks missing), `public-read`, `owner-write` or
 *   `staff-only`; see `Access` in registry.ts;
 * - `owner`: the role A signs in with (a seller's object is also tried by a second seller);
 * - `create(tools)`: make A's object (through `tools.gateway` as `tools.owner`, or `tools.services`)
 *   and return its `ids` (by the names the operation uses; an entity's by its @key fields) and
 *   `secrets` (values only A's object has);
 * - `operation(ids, unique)`: the call aimed at `ids`; for a mutation also `readBack`;
 *   for an entity `selection` instead of `operation` (one per subgraph name when the subgraphs
 *   resolve different fields of it, as catalog and inventory do for `Variant`).
 * If the matrix truly cannot exercise a field, add it to SHOP_EXEMPTIONS with the reason.
 */
export const SHOP_FIXTURES: FixtureRegistry<ShopServices> = {
  ...catalogFixtures,
  ...accountsFixtures,
  ...inventoryFixtures,
  ...ordersFixtures,
  ...paymentsFixtures,
  ...shippingFixtures,
  ...promotionsFixtures,
};

/** Fields the matrix leaves out, each with the reason. Empty: every field is exercised. */
export const SHOP_EXEMPTIONS: Exemptions = {};
