-- DropIndex
DROP INDEX "outbox_published_at_occurred_at_idx";

-- AlterTable
ALTER TABLE "outbox" DROP CONSTRAINT "outbox_pkey",
ADD COLUMN     "seq" BIGSERIAL NOT NULL,
ADD CONSTRAINT "outbox_pkey" PRIMARY KEY ("seq");

-- CreateTable
CREATE TABLE "inbox" (
    "event_id" UUID NOT NULL,
    "consumer" VARCHAR(100) NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "inbox_pkey" PRIMARY KEY ("event_id","consumer")
);

-- CreateIndex
CREATE UNIQUE INDEX "outbox_id_key" ON "outbox"("id");

-- CreateIndex
CREATE INDEX "outbox_published_at_seq_idx" ON "outbox"("published_at", "seq");

-- CreateIndex
CREATE INDEX "outbox_aggregate_id_seq_idx" ON "outbox"("aggregate_id", "seq");


-- Wakes the outbox relay when a transaction that wrote events commits (NOTIFY is delivered at
-- commit, never for a rolled-back transaction). The relay also polls, so a missed signal only delays.
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('outbox', '');
  RETURN NULL;
END
$$;

CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();
