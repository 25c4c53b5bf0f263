/**
 * The Kafka event bus against a real Kafka-protocol broker: librdkafka's mock cluster, run by
 * Debian's `kcat` (DESIGN "Tests"). Without kcat the suite is skipped with a visible reason,
 * except under CI, where a missing kcat fails the run. Consumer timings are shortened so group
 * rebalances (and the crash case, which waits one session timeout) take seconds, not tens.
 */
import { spawnSync } from 'node:child_process';
import { createKafkaEventBus } from '../src/events/kafka-bus';
import { describeEventBusContract } from '../src/events/testing/event-bus-contract';
import { uniqueName } from '../src/events/testing/contract-support';
import { startKafkaMock } from '../src/events/testing/kafka-mock';
import { logger } from '../src/logging/logger';

/** KAFKA_TEST_LOG_LEVEL=warn shows what kafkajs and the bus report while a case runs. */
const log = logger.child({}, { level: process.env.KAFKA_TEST_LOG_LEVEL ?? 'silent' });

const TEST_TIMINGS = {
  sessionTimeoutMs: 3_000,
  rebalanceTimeoutMs: 5_000,
  heartbeatIntervalMs: 300,
  maxWaitTimeMs: 250,
};

/** Why the broker cannot be started here, or undefined when kcat is installed. */
function kcatMissing(): string | undefined {
  const probe = spawnSync('kcat', ['-V'], { timeout: 5_000 });
  if (!probe.error) return undefined;
  const reason = `kcat is not installed (${probe.error.message}); install Debian's kcat to run the Kafka contract`;
  if (process.env.CI) throw new Error(`kafka-event-bus.test.ts: ${reason}, and CI must have it`);
  process.stderr.write(`\n*** kafka-event-bus.test.ts: SKIPPED, ${reason} ***\n\n`);
  return reason;
}

describeEventBusContract(
  'kafka',
  async () => {
    const mock = await startKafkaMock();
    if (!mock) return null;
    return {
      newBus: () => createKafkaEventBus({ brokers: mock.brokers, clientId: uniqueName('contract'), log, timings: TEST_TIMINGS }),
      cleanup: () => mock.stop(),
    };
  },
  { unavailable: kcatMissing },
);
