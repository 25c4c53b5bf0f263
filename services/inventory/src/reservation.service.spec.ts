import fc from 'fast-check';
import { reservationPlan } from './reservation.service';

test('INV-2: lines are summed per variant and sorted by variant id, so every transaction locks stock rows in one order', () => {
  expect(
    reservationPlan([
      { variantId: 'b', sku: 'B', quantity: 1 },
      { variantId: 'a', sku: 'A', quantity: 2 },
      { variantId: 'b', sku: 'B', quantity: 3 },
    ]),
  ).toEqual([
    { variantId: 'a', sku: 'A', quantity: 2 },
    { variantId: 'b', sku: 'B', quantity: 4 },
  ]);
});

test('INV-2: whatever the order of the lines, the plan is the same and keeps every unit', () => {
  const line = fc.record({ variantId: fc.constantFrom('v1', 'v2', 'v3', 'v10'), sku: fc.constant('S'), quantity: fc.integer({ min: 1, max: 999 }) });
  fc.assert(
    fc.property(fc.array(line, { minLength: 1, maxLength: 12 }), (lines) => {
      const plan = reservationPlan(lines);
      expect(reservationPlan([...lines].reverse())).toEqual(plan);
      expect(plan.map((l) => l.variantId)).toEqual([...new Set(lines.map((l) => l.variantId))].sort());
      expect(plan.reduce((sum, l) => sum + l.quantity, 0)).toBe(lines.reduce((sum, l) => sum + l.quantity, 0));
    }),
  );
});
