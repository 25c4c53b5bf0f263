-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "OrderStatus" AS ENUM ('PENDING', 'AWAITING_PAYMENT', 'PAID', 'SHIPPED', 'DELIVERED', 'COMPLETED', 'CANCELLED', 'REJECTED');

-- CreateEnum
CREATE TYPE "SagaOutcome" AS ENUM ('CONFIRMED', 'REJECTED');

-- CreateTable
CREATE TABLE "catalog_variant" (
    "variant_id" VARCHAR(64) NOT NULL,
    "product_id" VARCHAR(64) NOT NULL,
    "market_id" VARCHAR(64) NOT NULL,
    "product_name" VARCHAR(200) NOT NULL,
    "variant_name" VARCHAR(200) NOT NULL,
    "sku" VARCHAR(64) NOT NULL,
    "weight_grams" INTEGER NOT NULL,
    "price_minor" BIGINT NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "tax_class" VARCHAR(32) NOT NULL DEFAULT 'standard',
    "active" BOOLEAN NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "catalog_variant_pkey" PRIMARY KEY ("variant_id")
);

-- CreateTable
CREATE TABLE "cart" (
    "id" VARCHAR(64) NOT NULL,
    "customer_id" VARCHAR(64),
    "currency" VARCHAR(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_activity_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reminder_sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "cart_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cart_line" (
    "id" UUID NOT NULL,
    "cart_id" VARCHAR(64) NOT NULL,
    "variant_id" VARCHAR(64) NOT NULL,
    "quantity" INTEGER NOT NULL,
    "unit_price_minor" BIGINT NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "cart_line_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customer_order" (
    "id" UUID NOT NULL,
    "reference" VARCHAR(16) NOT NULL,
    "customer_id" VARCHAR(64),
    "email" VARCHAR(320),
    "idempotency_scope" VARCHAR(100) NOT NULL,
    "idempotency_key" VARCHAR(100) NOT NULL,
    "request_fingerprint" VARCHAR(64) NOT NULL,
    "status" "OrderStatus" NOT NULL DEFAULT 'PENDING',
    "version" INTEGER NOT NULL DEFAULT 0,
    "currency" VARCHAR(3) NOT NULL,
    "subtotal_minor" BIGINT NOT NULL,
    "discount_minor" BIGINT NOT NULL,
    "shipping_minor" BIGINT NOT NULL,
    "tax_minor" BIGINT NOT NULL,
    "total_minor" BIGINT NOT NULL,
    "shipping_address" JSONB NOT NULL,
    "coupon_code" VARCHAR(64),
    "payment_due_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "customer_order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "order_line" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "variant_id" VARCHAR(64) NOT NULL,
    "sku" VARCHAR(64) NOT NULL,
    "name" VARCHAR(400) NOT NULL,
    "unit_price_minor" BIGINT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "weight_grams" INTEGER NOT NULL,
    "tax_rate_bp" INTEGER NOT NULL,
    "tax_minor" BIGINT NOT NULL,
    "discount_minor" BIGINT NOT NULL,
    "line_total_minor" BIGINT NOT NULL,

    CONSTRAINT "order_line_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "order_history" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "from_status" "OrderStatus",
    "to_status" "OrderStatus" NOT NULL,
    "actor" VARCHAR(100) NOT NULL,
    "reason" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "order_history_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "order_saga_step" (
    "order_id" UUID NOT NULL,
    "step" VARCHAR(50) NOT NULL,
    "outcome" "SagaOutcome" NOT NULL,
    "detail" JSONB NOT NULL,
    "event_id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "order_saga_step_pkey" PRIMARY KEY ("order_id","step")
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
CREATE INDEX "catalog_variant_product_id_idx" ON "catalog_variant"("product_id");

-- CreateIndex
CREATE UNIQUE INDEX "cart_customer_id_key" ON "cart"("customer_id");

-- CreateIndex
CREATE INDEX "cart_last_activity_at_idx" ON "cart"("last_activity_at");

-- CreateIndex
CREATE UNIQUE INDEX "cart_line_cart_id_variant_id_key" ON "cart_line"("cart_id", "variant_id");

-- CreateIndex
CREATE UNIQUE INDEX "customer_order_reference_key" ON "customer_order"("reference");

-- CreateIndex
CREATE INDEX "customer_order_customer_id_created_at_idx" ON "customer_order"("customer_id", "created_at");

-- CreateIndex
CREATE INDEX "customer_order_status_idx" ON "customer_order"("status");

-- CreateIndex
CREATE UNIQUE INDEX "customer_order_idempotency_scope_idempotency_key_key" ON "customer_order"("idempotency_scope", "idempotency_key");

-- CreateIndex
CREATE INDEX "order_line_order_id_position_idx" ON "order_line"("order_id", "position");

-- CreateIndex
CREATE INDEX "order_history_order_id_at_idx" ON "order_history"("order_id", "at");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_id_key" ON "outbox"("id");

-- CreateIndex
CREATE INDEX "outbox_published_at_seq_idx" ON "outbox"("published_at", "seq");

-- CreateIndex
CREATE INDEX "outbox_aggregate_id_seq_idx" ON "outbox"("aggregate_id", "seq");

-- AddForeignKey
ALTER TABLE "cart_line" ADD CONSTRAINT "cart_line_cart_id_fkey" FOREIGN KEY ("cart_id") REFERENCES "cart"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order_line" ADD CONSTRAINT "order_line_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "customer_order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order_history" ADD CONSTRAINT "order_history_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "customer_order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order_saga_step" ADD CONSTRAINT "order_saga_step_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "customer_order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;



-- Rules the database enforces itself (CART-2, ORD-1): whole positive quantities, non-negative money.
ALTER TABLE "cart_line" ADD CONSTRAINT "cart_line_quantity_positive" CHECK ("quantity" > 0);
ALTER TABLE "order_line" ADD CONSTRAINT "order_line_quantity_positive" CHECK ("quantity" > 0);
ALTER TABLE "order_line" ADD CONSTRAINT "order_line_amounts_non_negative" CHECK ("unit_price_minor" >= 0 AND "tax_minor" >= 0 AND "discount_minor" >= 0);
ALTER TABLE "customer_order" ADD CONSTRAINT "customer_order_total_non_negative" CHECK ("total_minor" >= 0 AND "subtotal_minor" >= 0);

-- Wakes the outbox relay when a transaction that wrote events commits (NOTIFY is delivered at
-- commit, never for a rolled-back transaction). The relay also polls, so a missed signal only delays.
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('outbox', '');
  RETURN NULL;
END
$$;

CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();
