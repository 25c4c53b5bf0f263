-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "CouponKind" AS ENUM ('PERCENTAGE', 'FIXED_AMOUNT', 'FREE_SHIPPING');

-- CreateEnum
CREATE TYPE "RedemptionStatus" AS ENUM ('RESERVED', 'COMMITTED', 'RELEASED', 'EXPIRED');

-- CreateEnum
CREATE TYPE "AttributionStatus" AS ENUM ('PENDING', 'EARNED', 'VOID');

-- CreateTable
CREATE TABLE "coupon" (
    "id" UUID NOT NULL,
    "code" VARCHAR(64) NOT NULL,
    "kind" "CouponKind" NOT NULL,
    "value" INTEGER NOT NULL,
    "currency" VARCHAR(3),
    "usage_limit" INTEGER,
    "per_customer_limit" INTEGER,
    "usage_count" INTEGER NOT NULL DEFAULT 0,
    "min_subtotal_minor" BIGINT,
    "starts_at" TIMESTAMPTZ(3),
    "ends_at" TIMESTAMPTZ(3),
    "affiliate_id" UUID,
    "deleted_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "coupon_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customer_coupon_usage" (
    "coupon_id" UUID NOT NULL,
    "customer_id" VARCHAR(64) NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "customer_coupon_usage_pkey" PRIMARY KEY ("coupon_id","customer_id")
);

-- CreateTable
CREATE TABLE "redemption" (
    "id" UUID NOT NULL,
    "order_id" VARCHAR(64) NOT NULL,
    "coupon_id" UUID NOT NULL,
    "customer_id" VARCHAR(64),
    "status" "RedemptionStatus" NOT NULL,
    "discount_minor" BIGINT NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "subtotal_minor" BIGINT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "redemption_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "affiliate" (
    "id" UUID NOT NULL,
    "marketer_id" VARCHAR(64) NOT NULL,
    "commission_rate_bp" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "affiliate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "affiliate_attribution" (
    "id" UUID NOT NULL,
    "affiliate_id" UUID NOT NULL,
    "order_id" VARCHAR(64) NOT NULL,
    "code" VARCHAR(64) NOT NULL,
    "status" "AttributionStatus" NOT NULL,
    "base_minor" BIGINT NOT NULL,
    "commission_minor" BIGINT NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "affiliate_attribution_pkey" PRIMARY KEY ("id")
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
CREATE UNIQUE INDEX "coupon_code_key" ON "coupon"("code");

-- CreateIndex
CREATE INDEX "coupon_affiliate_id_idx" ON "coupon"("affiliate_id");

-- CreateIndex
CREATE UNIQUE INDEX "redemption_order_id_key" ON "redemption"("order_id");

-- CreateIndex
CREATE INDEX "redemption_coupon_id_idx" ON "redemption"("coupon_id");

-- CreateIndex
CREATE INDEX "redemption_status_expires_at_idx" ON "redemption"("status", "expires_at");

-- CreateIndex
CREATE INDEX "affiliate_marketer_id_idx" ON "affiliate"("marketer_id");

-- CreateIndex
CREATE UNIQUE INDEX "affiliate_attribution_order_id_key" ON "affiliate_attribution"("order_id");

-- CreateIndex
CREATE INDEX "affiliate_attribution_affiliate_id_created_at_idx" ON "affiliate_attribution"("affiliate_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_id_key" ON "outbox"("id");

-- CreateIndex
CREATE INDEX "outbox_published_at_seq_idx" ON "outbox"("published_at", "seq");

-- CreateIndex
CREATE INDEX "outbox_aggregate_id_seq_idx" ON "outbox"("aggregate_id", "seq");

-- AddForeignKey
ALTER TABLE "coupon" ADD CONSTRAINT "coupon_affiliate_id_fkey" FOREIGN KEY ("affiliate_id") REFERENCES "affiliate"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "redemption" ADD CONSTRAINT "redemption_coupon_id_fkey" FOREIGN KEY ("coupon_id") REFERENCES "coupon"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "affiliate_attribution" ADD CONSTRAINT "affiliate_attribution_affiliate_id_fkey" FOREIGN KEY ("affiliate_id") REFERENCES "affiliate"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Hand-written: the limits hold in the database too (PROMO-1, PROMO-2).
ALTER TABLE "coupon" ADD CONSTRAINT "coupon_usage_within_limit" CHECK ("usage_count" >= 0 AND ("usage_limit" IS NULL OR "usage_count" <= "usage_limit"));
ALTER TABLE "coupon" ADD CONSTRAINT "coupon_value_valid" CHECK (("kind" = 'PERCENTAGE' AND "value" BETWEEN 1 AND 100) OR ("kind" = 'FIXED_AMOUNT' AND "value" > 0) OR ("kind" = 'FREE_SHIPPING' AND "value" = 0));
ALTER TABLE "coupon" ADD CONSTRAINT "coupon_window_valid" CHECK ("starts_at" IS NULL OR "ends_at" IS NULL OR "starts_at" < "ends_at");
ALTER TABLE "customer_coupon_usage" ADD CONSTRAINT "customer_coupon_usage_non_negative" CHECK ("count" >= 0);
ALTER TABLE "redemption" ADD CONSTRAINT "redemption_discount_non_negative" CHECK ("discount_minor" >= 0 AND "discount_minor" <= "subtotal_minor");
ALTER TABLE "affiliate" ADD CONSTRAINT "affiliate_commission_rate_valid" CHECK ("commission_rate_bp" BETWEEN 0 AND 10000);
