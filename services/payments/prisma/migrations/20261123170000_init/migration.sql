-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "PayableStatus" AS ENUM ('AWAITING_PAYMENT', 'PAID', 'CANCELLED');

-- CreateEnum
CREATE TYPE "PaymentMethod" AS ENUM ('SANDBOX', 'CARD', 'CASH_ON_DELIVERY', 'BANK_TRANSFER', 'WALLET');

-- CreateEnum
CREATE TYPE "PaymentStatus" AS ENUM ('PENDING', 'SUCCEEDED', 'FAILED', 'EXPIRED');

-- CreateEnum
CREATE TYPE "RefundDestination" AS ENUM ('ORIGINAL', 'WALLET');

-- CreateEnum
CREATE TYPE "WalletEntryKind" AS ENUM ('CREDIT', 'DEBIT', 'HOLD', 'RELEASE');

-- CreateTable
CREATE TABLE "payable_order" (
    "order_id" VARCHAR(64) NOT NULL,
    "customer_id" VARCHAR(64),
    "total_minor" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "payment_due_at" TIMESTAMPTZ(3) NOT NULL,
    "status" "PayableStatus" NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payable_order_pkey" PRIMARY KEY ("order_id")
);

-- CreateTable
CREATE TABLE "payment" (
    "id" UUID NOT NULL,
    "order_id" VARCHAR(64) NOT NULL,
    "customer_id" VARCHAR(64),
    "method" "PaymentMethod" NOT NULL,
    "provider" VARCHAR(32) NOT NULL,
    "status" "PaymentStatus" NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "refunded_minor" BIGINT NOT NULL DEFAULT 0,
    "idempotency_key" VARCHAR(100) NOT NULL,
    "provider_ref" VARCHAR(100),
    "failure_reason" VARCHAR(200),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "captured_at" TIMESTAMPTZ(3),

    CONSTRAINT "payment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "provider_event" (
    "provider" VARCHAR(32) NOT NULL,
    "event_id" VARCHAR(100) NOT NULL,
    "payment_id" UUID NOT NULL,
    "type" VARCHAR(50) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "provider_event_pkey" PRIMARY KEY ("provider","event_id")
);

-- CreateTable
CREATE TABLE "refund" (
    "id" UUID NOT NULL,
    "payment_id" UUID NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "reason" VARCHAR(500) NOT NULL,
    "destination" "RefundDestination" NOT NULL,
    "idempotency_key" VARCHAR(100) NOT NULL,
    "actor" VARCHAR(80) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "refund_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "wallet" (
    "customer_id" VARCHAR(64) NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "balance_minor" BIGINT NOT NULL DEFAULT 0,
    "held_minor" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "wallet_pkey" PRIMARY KEY ("customer_id","currency")
);

-- CreateTable
CREATE TABLE "wallet_entry" (
    "id" UUID NOT NULL,
    "customer_id" VARCHAR(64) NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "kind" "WalletEntryKind" NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "reference" VARCHAR(100) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "wallet_entry_pkey" PRIMARY KEY ("id")
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
CREATE INDEX "payment_order_id_idx" ON "payment"("order_id");

-- CreateIndex
CREATE INDEX "payment_status_created_at_idx" ON "payment"("status", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "payment_order_id_idempotency_key_key" ON "payment"("order_id", "idempotency_key");

-- CreateIndex
CREATE UNIQUE INDEX "refund_payment_id_idempotency_key_key" ON "refund"("payment_id", "idempotency_key");

-- CreateIndex
CREATE UNIQUE INDEX "wallet_entry_customer_id_currency_kind_reference_key" ON "wallet_entry"("customer_id", "currency", "kind", "reference");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_id_key" ON "outbox"("id");

-- CreateIndex
CREATE INDEX "outbox_published_at_seq_idx" ON "outbox"("published_at", "seq");

-- CreateIndex
CREATE INDEX "outbox_aggregate_id_seq_idx" ON "outbox"("aggregate_id", "seq");

-- AddForeignKey
ALTER TABLE "refund" ADD CONSTRAINT "refund_payment_id_fkey" FOREIGN KEY ("payment_id") REFERENCES "payment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "wallet_entry" ADD CONSTRAINT "wallet_entry_customer_id_currency_fkey" FOREIGN KEY ("customer_id", "currency") REFERENCES "wallet"("customer_id", "currency") ON DELETE RESTRICT ON UPDATE CASCADE;



-- Hand-written: amounts are positive, a payment is never refunded beyond its capture (PAY-5),
-- a wallet never goes negative (PAY-7).
ALTER TABLE "payable_order" ADD CONSTRAINT "payable_order_total_check" CHECK ("total_minor" >= 0);
ALTER TABLE "payment" ADD CONSTRAINT "payment_amounts_check"
  CHECK ("amount_minor" >= 0 AND "refunded_minor" >= 0 AND "refunded_minor" <= "amount_minor");
ALTER TABLE "refund" ADD CONSTRAINT "refund_amount_check" CHECK ("amount_minor" > 0);
ALTER TABLE "wallet" ADD CONSTRAINT "wallet_balance_check" CHECK ("balance_minor" >= 0 AND "held_minor" >= 0 AND "held_minor" <= "balance_minor");
ALTER TABLE "wallet_entry" ADD CONSTRAINT "wallet_entry_amount_check" CHECK ("amount_minor" > 0);
