import type { InventoryDb } from './stock.repository';

/** The invariant checker's verdict: `ok` when `problems` is empty. */
export interface StockAudit {
  readonly ok: boolean;
  readonly problems: string[];
}

interface LevelCheck {
  variant_id: string;
  warehouse: string;
  on_hand: number;
  reserved: number;
  committed: number;
  ledger_on_hand: number;
  ledger_reserved: number;
  ledger_committed: number;
  held_reserved: number;
  held_committed: number;
}

/**
 * Checks every stock level against the ledger and the reservations: on hand equals the sum of its
 * ledger's on-hand deltas (likewise reserved and committed), reserved equals its RESERVED
 * reservation lines, committed its COMMITTED lines, and no counter nor `available` is negative.
 */
export async function auditStock(db: InventoryDb): Promise<StockAudit> {
  const rows = await db.$queryRaw<LevelCheck[]>`
    SELECT s.variant_id, s.warehouse, s.on_hand, s.reserved, s.committed,
      COALESCE(m.on_hand, 0)::int AS ledger_on_hand, COALESCE(m.reserved, 0)::int AS ledger_reserved, COALESCE(m.committed, 0)::int AS ledger_committed,
      COALESCE(h.reserved, 0)::int AS held_reserved, COALESCE(h.committed, 0)::int AS held_committed
    FROM stock_level s
    LEFT JOIN (
      SELECT variant_id, warehouse, sum(on_hand_delta) AS on_hand, sum(reserved_delta) AS reserved, sum(committed_delta) AS committed
      FROM stock_movement GROUP BY variant_id, warehouse
    ) m ON m.variant_id = s.variant_id AND m.warehouse = s.warehouse
    LEFT JOIN (
      SELECT l.variant_id, l.warehouse,
        sum(l.quantity) FILTER (WHERE r.status = 'RESERVED') AS reserved,
        sum(l.quantity) FILTER (WHERE r.status = 'COMMITTED') AS committed
      FROM reservation_line l JOIN reservation r ON r.id = l.reservation_id GROUP BY l.variant_id, l.warehouse
    ) h ON h.variant_id = s.variant_id AND h.warehouse = s.warehouse
    ORDER BY s.variant_id, s.warehouse`;
  const problems: string[] = [];
  for (const row of rows) {
    const where = `${row.variant_id}@${row.warehouse}`;
    const expect = (what: string, actual: number, expected: number, source: string) => {
      if (actual !== expected) problems.push(`${where}: ${what} is ${actual} but ${source} says ${expected}`);
    };
    expect('on_hand', row.on_hand, row.ledger_on_hand, 'the ledger');
    expect('reserved', row.reserved, row.ledger_reserved, 'the ledger');
    expect('committed', row.committed, row.ledger_committed, 'the ledger');
    expect('reserved', row.reserved, row.held_reserved, 'RESERVED reservations');
    expect('committed', row.committed, row.held_committed, 'COMMITTED reservations');
    const available = row.on_hand - row.reserved - row.committed;
    for (const [name, value] of [['on_hand', row.on_hand], ['reserved', row.reserved], ['committed', row.committed], ['available', available]] as const) {
      if (value < 0) problems.push(`${where}: ${name} is negative (${value})`);
    }
  }
  return { ok: problems.length === 0, problems };
}
