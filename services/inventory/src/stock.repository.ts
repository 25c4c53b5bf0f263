import type { DomainEvent } from '@shop/platform';
import { Prisma, type PrismaClient } from './generated/prisma/client';
import type { MovementKind } from './generated/prisma/enums';
import { stockLow } from './events/stock.events';

/** The inventory's Prisma client, and the transaction client inside `$transaction`. */
export type InventoryDb = PrismaClient;
export type InventoryTx = Prisma.TransactionClient;

/** One stock level's counters, as every write returns them. */
export interface LevelRow {
  readonly variantId: string;
  readonly warehouse: string;
  readonly onHand: number;
  readonly reserved: number;
  readonly committed: number;
}

/** Changes of a level's counters; each call writes exactly one ledger row. */
export interface CounterDeltas {
  readonly onHand?: number;
  readonly reserved?: number;
  readonly committed?: number;
}

/** Who and why, on every ledger row. */
export interface MovementMeta {
  readonly kind: MovementKind;
  readonly actor: string;
  readonly reason: string;
  readonly correlationId: string | null;
  readonly orderId?: string | null;
}

interface RawLevel {
  variant_id: string;
  warehouse: string;
  on_hand: number;
  reserved: number;
  committed: number;
}

const toLevel = (row: RawLevel): LevelRow => ({
  variantId: row.variant_id,
  warehouse: row.warehouse,
  onHand: row.on_hand,
  reserved: row.reserved,
  committed: row.committed,
});

/**
 * The inventory's queries. Every counter change is one conditional UPDATE (never read-then-write)
 * followed by its ledger row, in the caller's transaction; the CHECK constraints stop anything
 * that would make a counter or `available` negative.
 */
export class StockRepository {
  constructor(private readonly defaultThreshold: number) {}

  /**
   * Reserves `quantity` in the first warehouse that has it available, trying the warehouses of the
   * variant in a fixed order (the preferred one first, then by name). Returns the warehouse, or
   * null when none has enough: nothing changed then.
   */
  async reserveInAnyWarehouse(tx: InventoryTx, variantId: string, quantity: number, preferred: string, meta: MovementMeta): Promise<string | null> {
    const warehouses = await tx.$queryRaw<{ warehouse: string }[]>`
      SELECT warehouse FROM stock_level WHERE variant_id = ${variantId}
      ORDER BY (warehouse = ${preferred}) DESC, warehouse`;
    for (const { warehouse } of warehouses) {
      const level = await this.guardedChange(tx, variantId, warehouse, { reserved: quantity }, quantity, meta);
      if (level) return warehouse;
    }
    return null;
  }

  /** Commits `quantity` straight from available stock (a payment after its reservation expired). */
  async commitInAnyWarehouse(tx: InventoryTx, variantId: string, quantity: number, preferred: string, meta: MovementMeta): Promise<string | null> {
    const warehouses = await tx.$queryRaw<{ warehouse: string }[]>`
      SELECT warehouse FROM stock_level WHERE variant_id = ${variantId}
      ORDER BY (warehouse = ${preferred}) DESC, warehouse`;
    for (const { warehouse } of warehouses) {
      if (await this.guardedChange(tx, variantId, warehouse, { committed: quantity }, quantity, meta)) return warehouse;
    }
    return null;
  }

  /**
   * Applies `deltas` only while at least `minAvailable` units are available (the INV-2 guard), and
   * writes the ledger row. Returns the level afterwards, or null when the guard refused.
   */
  async guardedChange(tx: InventoryTx, variantId: string, warehouse: string, deltas: CounterDeltas, minAvailable: number, meta: MovementMeta): Promise<LevelRow | null> {
    const rows = await tx.$queryRaw<RawLevel[]>`
      UPDATE stock_level
      SET on_hand = on_hand + ${deltas.onHand ?? 0}, reserved = reserved + ${deltas.reserved ?? 0},
          committed = committed + ${deltas.committed ?? 0}, updated_at = now()
      WHERE variant_id = ${variantId} AND warehouse = ${warehouse} AND on_hand - reserved - committed >= ${minAvailable}
      RETURNING variant_id, warehouse, on_hand, reserved, committed`;
    const row = rows[0];
    if (!row) return null;
    await this.recordMovement(tx, variantId, warehouse, deltas, meta);
    return toLevel(row);
  }

  /** Applies `deltas` unconditionally (the CHECK constraints still hold) and writes the ledger row. */
  async change(tx: InventoryTx, variantId: string, warehouse: string, deltas: CounterDeltas, meta: MovementMeta): Promise<LevelRow> {
    const rows = await tx.$queryRaw<RawLevel[]>`
      UPDATE stock_level
      SET on_hand = on_hand + ${deltas.onHand ?? 0}, reserved = reserved + ${deltas.reserved ?? 0},
          committed = committed + ${deltas.committed ?? 0}, updated_at = now()
      WHERE variant_id = ${variantId} AND warehouse = ${warehouse}
      RETURNING variant_id, warehouse, on_hand, reserved, committed`;
    const row = rows[0];
    if (!row) throw new Error(`no stock level for variant ${variantId} in warehouse ${warehouse}`);
    await this.recordMovement(tx, variantId, warehouse, deltas, meta);
    return toLevel(row);
  }

  /** Creates the level if missing and locks it for the rest of the transaction (staff commands). */
  async lockLevel(tx: InventoryTx, variantId: string, warehouse: string): Promise<LevelRow> {
    await tx.$executeRaw`
      INSERT INTO stock_level (id, variant_id, warehouse, updated_at) VALUES (gen_random_uuid(), ${variantId}, ${warehouse}, now())
      ON CONFLICT (variant_id, warehouse) DO NOTHING`;
    const rows = await tx.$queryRaw<RawLevel[]>`
      SELECT variant_id, warehouse, on_hand, reserved, committed FROM stock_level
      WHERE variant_id = ${variantId} AND warehouse = ${warehouse} FOR UPDATE`;
    const row = rows[0];
    if (!row) throw new Error(`stock level for variant ${variantId} in warehouse ${warehouse} vanished`);
    return toLevel(row);
  }

  /** Available units per variant summed over its warehouses (0 below zero never happens: CHECK). */
  async availableByVariant(tx: InventoryTx | InventoryDb, variantIds: readonly string[]): Promise<Map<string, number>> {
    const sums = await tx.stockLevel.groupBy({ by: ['variantId'], where: { variantId: { in: [...variantIds] } }, _sum: { onHand: true, reserved: true, committed: true } });
    return new Map(sums.map((sum) => [sum.variantId, (sum._sum.onHand ?? 0) - (sum._sum.reserved ?? 0) - (sum._sum.committed ?? 0)]));
  }

  /** Locks a reservation by order id (consistent lock order: reservation first, then stock rows). */
  async lockReservation(tx: InventoryTx, orderId: string) {
    const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id::text FROM reservation WHERE order_id = ${orderId} FOR UPDATE`;
    const id = rows[0]?.id;
    if (!id) return null;
    return tx.reservation.findUniqueOrThrow({ where: { id }, include: { lines: true } });
  }

  /** Expired RESERVED reservations no other replica is handling, locked for this transaction. */
  async claimExpired(tx: InventoryTx, limit: number) {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT id::text FROM reservation WHERE status = 'RESERVED' AND expires_at <= now()
      ORDER BY expires_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
    if (rows.length === 0) return [];
    return tx.reservation.findMany({ where: { id: { in: rows.map((row) => row.id) } }, include: { lines: true } });
  }

  /**
   * Updates the low flags of the given levels from their available stock and the variant's
   * threshold; returns a StockLow event for each level that has just crossed below it (INV-5).
   */
  async lowStockCrossings(tx: InventoryTx, levels: readonly { variantId: string; warehouse: string }[]): Promise<DomainEvent[]> {
    if (levels.length === 0) return [];
    const variantIds = levels.map((level) => level.variantId);
    const warehouses = levels.map((level) => level.warehouse);
    const rows = await tx.$queryRaw<{ variant_id: string; warehouse: string; sku: string; low: boolean; available: number; threshold: number }[]>`
      WITH target AS (SELECT * FROM unnest(${variantIds}::text[], ${warehouses}::text[]) AS t(variant_id, warehouse)),
      state AS (
        SELECT s.id, s.on_hand - s.reserved - s.committed AS available, COALESCE(v.low_stock_threshold, ${this.defaultThreshold}) AS threshold, v.sku
        FROM stock_level s JOIN target t ON t.variant_id = s.variant_id AND t.warehouse = s.warehouse JOIN variant v ON v.id = s.variant_id)
      UPDATE stock_level s SET low = state.available < state.threshold
      FROM state WHERE s.id = state.id AND s.low <> (state.available < state.threshold)
      RETURNING s.variant_id, s.warehouse, state.sku, s.low, state.available::int AS available, state.threshold::int AS threshold`;
    return rows
      .filter((row) => row.low)
      .map((row) => stockLow({ variantId: row.variant_id, sku: row.sku, warehouse: row.warehouse, available: Math.max(0, row.available), threshold: row.threshold }));
  }

  private async recordMovement(tx: InventoryTx, variantId: string, warehouse: string, deltas: CounterDeltas, meta: MovementMeta): Promise<void> {
    await tx.stockMovement.create({
      data: {
        variantId,
        warehouse,
        kind: meta.kind,
        onHandDelta: deltas.onHand ?? 0,
        reservedDelta: deltas.reserved ?? 0,
        committedDelta: deltas.committed ?? 0,
        actor: meta.actor,
        reason: meta.reason,
        correlationId: meta.correlationId,
        orderId: meta.orderId ?? null,
      },
    });
  }
}
