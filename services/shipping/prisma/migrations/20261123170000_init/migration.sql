-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "ShipmentStatus" AS ENUM ('BOOKING', 'DISPATCHED', 'IN_TRANSIT', 'DELIVERED');

-- CreateTable
CREATE TABLE "shipping_zone" (
    "id" UUID NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "countries" VARCHAR(2)[],
    "postal_prefixes" VARCHAR(20)[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "shipping_zone_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shipping_method" (
    "id" UUID NOT NULL,
    "code" VARCHAR(64) NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "shipping_method_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shipping_rate" (
    "id" UUID NOT NULL,
    "method_id" UUID NOT NULL,
    "zone_id" UUID NOT NULL,
    "min_weight_grams" INTEGER NOT NULL,
    "max_weight_grams" INTEGER,
    "price_minor" BIGINT NOT NULL,

    CONSTRAINT "shipping_rate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "free_shipping_threshold" (
    "method_id" UUID NOT NULL,
    "zone_id" UUID NOT NULL,
    "min_subtotal_minor" BIGINT NOT NULL,

    CONSTRAINT "free_shipping_threshold_pkey" PRIMARY KEY ("method_id","zone_id")
);

-- CreateTable
CREATE TABLE "rate_table_revision" (
    "id" VARCHAR(20) NOT NULL,
    "revision" INTEGER NOT NULL,

    CONSTRAINT "rate_table_revision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "order_owner" (
    "order_id" VARCHAR(64) NOT NULL,
    "customer_id" VARCHAR(64),

    CONSTRAINT "order_owner_pkey" PRIMARY KEY ("order_id")
);

-- CreateTable
CREATE TABLE "shipment" (
    "id" UUID NOT NULL,
    "order_id" VARCHAR(64) NOT NULL,
    "customer_id" VARCHAR(64),
    "status" "ShipmentStatus" NOT NULL DEFAULT 'BOOKING',
    "carrier" VARCHAR(64) NOT NULL,
    "tracking_number" VARCHAR(100),
    "booking_attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dispatched_at" TIMESTAMPTZ(3),
    "delivered_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "shipment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "scheduled_job" (
    "name" VARCHAR(100) NOT NULL,
    "next_run_at" TIMESTAMPTZ(3) NOT NULL,
    "last_run_at" TIMESTAMPTZ(3),
    "last_run_by" VARCHAR(100),

    CONSTRAINT "scheduled_job_pkey" PRIMARY KEY ("name")
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
CREATE UNIQUE INDEX "shipping_zone_name_key" ON "shipping_zone"("name");

-- CreateIndex
CREATE UNIQUE INDEX "shipping_method_code_key" ON "shipping_method"("code");

-- CreateIndex
CREATE UNIQUE INDEX "shipping_rate_method_id_zone_id_min_weight_grams_key" ON "shipping_rate"("method_id", "zone_id", "min_weight_grams");

-- CreateIndex
CREATE UNIQUE INDEX "shipment_order_id_key" ON "shipment"("order_id");

-- CreateIndex
CREATE UNIQUE INDEX "shipment_tracking_number_key" ON "shipment"("tracking_number");

-- CreateIndex
CREATE INDEX "shipment_status_next_attempt_at_idx" ON "shipment"("status", "next_attempt_at");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_id_key" ON "outbox"("id");

-- CreateIndex
CREATE INDEX "outbox_published_at_seq_idx" ON "outbox"("published_at", "seq");

-- CreateIndex
CREATE INDEX "outbox_aggregate_id_seq_idx" ON "outbox"("aggregate_id", "seq");

-- AddForeignKey
ALTER TABLE "shipping_rate" ADD CONSTRAINT "shipping_rate_method_id_fkey" FOREIGN KEY ("method_id") REFERENCES "shipping_method"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shipping_rate" ADD CONSTRAINT "shipping_rate_zone_id_fkey" FOREIGN KEY ("zone_id") REFERENCES "shipping_zone"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "free_shipping_threshold" ADD CONSTRAINT "free_shipping_threshold_method_id_fkey" FOREIGN KEY ("method_id") REFERENCES "shipping_method"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "free_shipping_threshold" ADD CONSTRAINT "free_shipping_threshold_zone_id_fkey" FOREIGN KEY ("zone_id") REFERENCES "shipping_zone"("id") ON DELETE CASCADE ON UPDATE CASCADE;



-- Rates are never negative, weight bands are non-empty, currencies are ISO codes.
ALTER TABLE "shipping_rate" ADD CONSTRAINT "shipping_rate_price_check" CHECK ("price_minor" >= 0);
ALTER TABLE "shipping_rate" ADD CONSTRAINT "shipping_rate_band_check" CHECK ("min_weight_grams" >= 0 AND ("max_weight_grams" IS NULL OR "max_weight_grams" > "min_weight_grams"));
ALTER TABLE "free_shipping_threshold" ADD CONSTRAINT "free_shipping_threshold_check" CHECK ("min_subtotal_minor" >= 0);
ALTER TABLE "shipping_method" ADD CONSTRAINT "shipping_method_currency_check" CHECK ("currency" ~ '^[A-Z]{3}$');
