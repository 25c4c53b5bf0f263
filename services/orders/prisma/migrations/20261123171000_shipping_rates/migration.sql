-- CreateTable
CREATE TABLE "shipping_rate_table" (
    "id" VARCHAR(20) NOT NULL,
    "revision" INTEGER NOT NULL,
    "rates" JSONB NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "shipping_rate_table_pkey" PRIMARY KEY ("id")
);


