import type { EventCheck } from './event-checks';
import type { BusOutcome, EventsResults } from './events-phase';
import type { Table } from './report';

const ms = (value: number | null) => (value === null ? '-' : value.toFixed(1));

function busRow(outcome: BusOutcome): string[] {
  if (outcome.status === 'skipped') return [outcome.bus, outcome.reason, '-', '-', '-', '-', '-', '-', '-', '-'];
  if (outcome.status === 'failed') return [outcome.bus, `FAILED: ${outcome.error.split('\n')[0] ?? ''}`, '-', '-', '-', '-', '-', '-', '-', '-'];
  const f = outcome.figures;
  return [
    outcome.bus,
    `${f.writesCommitted}/${f.writesAttempted}`,
    String(f.eventsOnBus),
    f.ratio.toFixed(3),
    `${f.outbox.published}/${f.outbox.rows} (${f.outbox.publishedAllPriceEvents})`,
    ms(f.outbox.lagP50Ms),
    ms(f.outbox.lagP99Ms),
    ms(f.outbox.lagMaxMs),
    `${ms(f.arrivalLagP50Ms)} / ${ms(f.arrivalLagP99Ms)}`,
    `${f.settleMs}${f.settled ? '' : ' (deadline)'}`,
  ];
}

/** The events phase as two tables: figures per bus, then its targets. */
export function eventTables(events: EventsResults, checks: readonly EventCheck[]): Table[] {
  return [
    {
      title:
        `Events (${events.writesPerBus} setVariantPrice writes per bus through the gateway as staff, ${events.concurrency} at a time; ` +
        `OUTBOX_POLL_INTERVAL_MS ${events.pollIntervalMs})`,
      rows: [
        [
          'bus',
          'writes committed',
          'events on bus',
          'events ÷ writes',
          'outbox published/ours (all VariantPriceChanged published)',
          'publish lag p50 ms',
          'p99 ms',
          'max ms',
          'arrival lag p50 / p99 ms',
          'settled after ms',
        ],
        ...events.buses.map(busRow),
      ],
    },
    {
      title: 'Events targets (publish lag = outbox published_at − occurred_at, exact percentile_cont)',
      rows: [['check', 'value', 'target', 'result'], ...checks.map((check) => [check.name, check.value, check.target, check.result])],
    },
  ];
}

/** What the events columns mean, for the markdown report. */
export const EVENTS_NOTES = [
  'Each bus gets a fresh embedded shop: without KAFKA_BROKERS (PostgreSQL bus in `shop_bus`), and with KAFKA_BROKERS',
  'pointing at a librdkafka mock broker (kcat). The bench subscribes a new consumer group to `catalog.events` from the',
  'beginning before writing, and counts distinct `VariantPriceChanged` event ids whose payload (variant, new price) matches',
  'a committed write. "outbox published/ours" counts the outbox rows of those writes; in brackets, every published',
  '`VariantPriceChanged` row (cross-check). Publish lag is read from the catalog outbox; `published_at` is `now()` of the',
  "relay's transaction, i.e. when it claimed the batch, just before handing it to the bus. Arrival lag is occurredAt →",
  "the bench consumer's handler (information, no target). Settled: from the last write's answer until every event was",
  'published and received.',
].join(' ');
