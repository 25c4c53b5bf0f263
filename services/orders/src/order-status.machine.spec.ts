import fc from 'fast-check';
import { BusinessError } from '@shop/platform';
import { assertTransition, canTransition, isTerminal, ORDER_STATUSES, ORDER_TRANSITIONS, type OrderStatus } from './order-status.machine';

const ALLOWED: readonly [OrderStatus, OrderStatus][] = [
  ['PENDING', 'AWAITING_PAYMENT'],
  ['PENDING', 'REJECTED'],
  ['PENDING', 'CANCELLED'],
  ['AWAITING_PAYMENT', 'PAID'],
  ['AWAITING_PAYMENT', 'CANCELLED'],
  ['PAID', 'SHIPPED'],
  ['PAID', 'CANCELLED'],
  ['SHIPPED', 'DELIVERED'],
  ['DELIVERED', 'COMPLETED'],
  ['PAID', 'PARTIALLY_REFUNDED'],
  ['PAID', 'REFUNDED'],
  ['SHIPPED', 'PARTIALLY_REFUNDED'],
  ['SHIPPED', 'REFUNDED'],
  ['DELIVERED', 'PARTIALLY_REFUNDED'],
  ['DELIVERED', 'REFUNDED'],
  ['COMPLETED', 'PARTIALLY_REFUNDED'],
  ['COMPLETED', 'REFUNDED'],
  ['PARTIALLY_REFUNDED', 'REFUNDED'],
];
const allowed = new Set(ALLOWED.map(([from, to]) => `${from}>${to}`));
const status = fc.constantFrom(...ORDER_STATUSES);

function errorOf(work: () => void): BusinessError {
  try {
    work();
  } catch (error) {
    if (error instanceof BusinessError) return error;
    throw error;
  }
  throw new Error('expected INVALID_TRANSITION');
}

describe('order status machine (ORD-2)', () => {
  test('ORD-2: exactly the documented transitions are allowed', () => {
    for (const [from, to] of ALLOWED) expect(() => assertTransition(from, to)).not.toThrow();
    const count = ORDER_STATUSES.reduce((n, from) => n + ORDER_TRANSITIONS[from].length, 0);
    expect(count).toBe(ALLOWED.length);
  });

  test('ORD-2: CANCELLED, REJECTED and REFUNDED are terminal (a COMPLETED order may still be refunded)', () => {
    expect(ORDER_STATUSES.filter(isTerminal)).toEqual(['CANCELLED', 'REJECTED', 'REFUNDED']);
  });

  test('ORD-2 (property): every pair not in the table is refused with INVALID_TRANSITION naming from and to', () => {
    fc.assert(
      fc.property(status, status, (from, to) => {
        if (allowed.has(`${from}>${to}`)) return canTransition(from, to);
        const error = errorOf(() => assertTransition(from, to));
        return !canTransition(from, to) && error.code === 'INVALID_TRANSITION' && error.details.from === from && error.details.to === to && error.retryable === false;
      }),
      { numRuns: 500 },
    );
  });

  test('ORD-2 (property): a random sequence of requested changes never leaves the table', () => {
    fc.assert(
      fc.property(fc.array(status, { maxLength: 30 }), (requests) => {
        let current: OrderStatus = 'PENDING';
        const path: OrderStatus[] = [current];
        for (const next of requests) {
          if (canTransition(current, next)) {
            current = next;
            path.push(current);
          } else {
            expect(() => assertTransition(current, next)).toThrow(BusinessError);
          }
        }
        return path.every((to, i) => i === 0 || allowed.has(`${path[i - 1]}>${to}`)) && ORDER_STATUSES.includes(current);
      }),
      { numRuns: 500 },
    );
  });
});
