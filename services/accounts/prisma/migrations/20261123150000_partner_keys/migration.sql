-- CreateEnum
CREATE TYPE "PartnerScope" AS ENUM ('READ_ONLY', 'MARKET');

-- CreateTable
CREATE TABLE "partner_key" (
    "id" UUID NOT NULL,
    "partner" VARCHAR(100) NOT NULL,
    "key_hash" CHAR(64) NOT NULL,
    "key_prefix" VARCHAR(16) NOT NULL,
    "scope" "PartnerScope" NOT NULL,
    "market_id" UUID,
    "created_by" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "partner_key_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "partner_key_key_hash_key" ON "partner_key"("key_hash");

-- CreateIndex
CREATE INDEX "partner_key_partner_idx" ON "partner_key"("partner");


