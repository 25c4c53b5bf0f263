-- CreateEnum
CREATE TYPE "ReservationStatus" AS ENUM ('RESERVED', 'COMMITTED', 'RELEASED', 'EXPIRED', 'SHIPPED');

-- CreateEnum
CREATE TYPE "MovementKind" AS ENUM ('SET', 'ADJUST', 'RESERVE', 'RELEASE', 'EXPIRE', 'COMMIT', 'UNCOMMIT', 'SHIP', 'RETURN');

-- CreateTable
CREATE TABLE "variant" (
    "id" VARCHAR(64) NOT NULL,
    "sku" VARCHAR(64) NOT NULL,
    "product_id" VARCHAR(64),
    "low_stock_threshold" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "variant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stock_level" (
    "id" UUID NOT NULL,
    "variant_id" VARCHAR(64) NOT NULL,
    "warehouse" VARCHAR(64) NOT NULL,
    "on_hand" INTEGER NOT NULL DEFAULT 0,
    "reserved" INTEGER NOT NULL DEFAULT 0,
    "committed" INTEGER NOT NULL DEFAULT 0,
    "low" BOOLEAN NOT NULL DEFAULT false,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stock_level_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reservation" (
    "id" UUID NOT NULL,
    "order_id" VARCHAR(64) NOT NULL,
    "status" "ReservationStatus" NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reservation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reservation_line" (
    "id" UUID NOT NULL,
    "reservation_id" UUID NOT NULL,
    "variant_id" VARCHAR(64) NOT NULL,
    "warehouse" VARCHAR(64) NOT NULL,
    "quantity" INTEGER NOT NULL,

    CONSTRAINT "reservation_line_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stock_movement" (
    "id" UUID NOT NULL,
    "variant_id" VARCHAR(64) NOT NULL,
    "warehouse" VARCHAR(64) NOT NULL,
    "kind" "MovementKind" NOT NULL,
    "on_hand_delta" INTEGER NOT NULL,
    "reserved_delta" INTEGER NOT NULL,
    "committed_delta" INTEGER NOT NULL,
    "actor" VARCHAR(64) NOT NULL,
    "reason" VARCHAR(500) NOT NULL,
    "correlation_id" VARCHAR(100),
    "order_id" VARCHAR(64),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stock_movement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox" (
    "seq" BIGSERIAL NOT NULL,
    "id" UUID NOT NULL,
    "type" VARCHAR(100) NOT NULL,
    "version" INTEGER NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "source" VARCHAR(50) NOT NULL,
    "aggregate_id" VARCHAR(64) NOT NULL,
    "correlation_id" VARCHAR(100),
    "causation_id" VARCHAR(100),
    "payload" JSONB NOT NULL,
    "published_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "inbox" (
    "event_id" UUID NOT NULL,
    "consumer" VARCHAR(100) NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "inbox_pkey" PRIMARY KEY ("event_id","consumer")
);

-- CreateIndex
CREATE INDEX "variant_sku_idx" ON "variant"("sku");

-- CreateIndex
CREATE UNIQUE INDEX "stock_level_variant_id_warehouse_key" ON "stock_level"("variant_id", "warehouse");

-- CreateIndex
CREATE UNIQUE INDEX "reservation_order_id_key" ON "reservation"("order_id");

-- CreateIndex
CREATE INDEX "reservation_status_expires_at_idx" ON "reservation"("status", "expires_at");

-- CreateIndex
CREATE INDEX "reservation_line_reservation_id_idx" ON "reservation_line"("reservation_id");

-- CreateIndex
CREATE INDEX "reservation_line_variant_id_warehouse_idx" ON "reservation_line"("variant_id", "warehouse");

-- CreateIndex
CREATE INDEX "stock_movement_variant_id_warehouse_created_at_idx" ON "stock_movement"("variant_id", "warehouse", "created_at");

-- CreateIndex
CREATE INDEX "stock_movement_variant_id_created_at_id_idx" ON "stock_movement"("variant_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "stock_movement_order_id_idx" ON "stock_movement"("order_id");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_id_key" ON "outbox"("id");

-- CreateIndex
CREATE INDEX "outbox_published_at_seq_idx" ON "outbox"("published_at", "seq");

-- CreateIndex
CREATE INDEX "outbox_aggregate_id_seq_idx" ON "outbox"("aggregate_id", "seq");

-- AddForeignKey
ALTER TABLE "stock_level" ADD CONSTRAINT "stock_level_variant_id_fkey" FOREIGN KEY ("variant_id") REFERENCES "variant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reservation_line" ADD CONSTRAINT "reservation_line_reservation_id_fkey" FOREIGN KEY ("reservation_id") REFERENCES "reservation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;



-- Stock never goes negative (INV-2): every counter, and what is left for sale.
ALTER TABLE "stock_level" ADD CONSTRAINT "stock_level_counters_check"
  CHECK ("on_hand" >= 0 AND "reserved" >= 0 AND "committed" >= 0 AND "on_hand" - "reserved" - "committed" >= 0);

ALTER TABLE "reservation_line" ADD CONSTRAINT "reservation_line_quantity_check" CHECK ("quantity" > 0);

ALTER TABLE "variant" ADD CONSTRAINT "variant_low_stock_threshold_check" CHECK ("low_stock_threshold" IS NULL OR "low_stock_threshold" >= 0);

-- Wakes the outbox relay when a transaction that wrote events commits (NOTIFY is delivered at
-- commit, never for a rolled-back transaction). The relay also polls, so a missed signal only delays.
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('outbox', '');
  RETURN NULL;
END
$$;

CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();
