import { Kafka, Partitioners, type Admin, type Producer, type TopicMessages } from 'kafkajs';
import { serviceLogger, type Logger } from '../../logging';
import type { EventBus, OutgoingEvent, SubscribeOptions, Subscription } from '../event-bus';
import { KAFKA_LOG_LEVEL, kafkaLogCreator } from './kafka-log';
import { toKafkaMessage } from './kafka-message';
import { DEFAULT_CONSUMER_TIMINGS, startKafkaSubscription, type KafkaConsumerTimings } from './kafka-subscription';

/** Where the Kafka bus connects and how it logs. */
export interface KafkaEventBusOptions {
  readonly brokers: string[];
  readonly clientId: string;
  readonly log?: Logger;
  /** Consumer-group timings; the defaults suit production, tests shorten them. */
  readonly timings?: Partial<KafkaConsumerTimings>;
  /** Longest `ping` waits for the cluster's metadata (default 2 s). */
  readonly pingTimeoutMs?: number;
}

const CONNECTION_TIMEOUT_MS = 3_000;
const REQUEST_TIMEOUT_MS = 10_000;
const DEFAULT_PING_TIMEOUT_MS = 2_000;

/**
 * The event bus on Kafka (kafkajs). It relies on nothing a broker without a controller lacks:
 * topics are auto-created on first use (no admin createTopics), and the producer is not
 * idempotent; `acks: -1` and one request in flight keep publishes durable and in order instead.
 * Resolves once the producer is connected, so a wrong broker address fails at start-up.
 */
export async function createKafkaEventBus(options: KafkaEventBusOptions): Promise<EventBus> {
  const log = options.log ?? serviceLogger('kafka-bus');
  const kafka = new Kafka({
    brokers: options.brokers,
    clientId: options.clientId,
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    requestTimeout: REQUEST_TIMEOUT_MS,
    retry: { initialRetryTime: 100, maxRetryTime: 2_000, retries: 5 },
    logLevel: KAFKA_LOG_LEVEL,
    logCreator: kafkaLogCreator(log),
  });
  const producer = kafka.producer({
    idempotent: false,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: true,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const timings = { ...DEFAULT_CONSUMER_TIMINGS, ...options.timings };
  return new KafkaEventBus(kafka, producer, timings, log, options.pingTimeoutMs ?? DEFAULT_PING_TIMEOUT_MS);
}

class KafkaEventBus implements EventBus {
  readonly kind = 'kafka';
  private readonly subscriptions = new Set<Subscription>();
  private admin: Promise<Admin> | null = null;
  /** Set by `close`: no new subscriptions from then on. */
  private closing: Promise<void> | null = null;
  /** Set once the subscriptions stopped: publishing (in-flight events' dead letters) lasts until then. */
  private closed = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly producer: Producer,
    private readonly timings: KafkaConsumerTimings,
    private readonly log: Logger,
    private readonly pingTimeoutMs: number,
  ) {}

  async publish(events: readonly OutgoingEvent[]): Promise<void> {
    if (this.closed) throw new Error('the Kafka event bus is closed');
    if (events.length === 0) return;
    await this.producer.sendBatch({ acks: -1, topicMessages: byTopic(events) });
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    if (this.closing) throw new Error('the Kafka event bus is closing');
    const started = await startKafkaSubscription({ kafka: this.kafka, bus: this, timings: this.timings, log: this.log }, options);
    if (this.closing) {
      await started.stop();
      throw new Error('the Kafka event bus closed while subscribing');
    }
    const subscription: Subscription = {
      stop: async () => {
        this.subscriptions.delete(subscription);
        await started.stop();
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** Asks the cluster for its metadata (read-only, works without a controller). */
  async ping(): Promise<boolean> {
    if (this.closing) return false;
    try {
      const admin = await this.connectedAdmin();
      await withTimeout(admin.describeCluster(), this.pingTimeoutMs);
      return true;
    } catch (error) {
      this.log.warn({ err: error }, 'kafka ping failed');
      return false;
    }
  }

  /** Stops every subscription (in-flight events finish first), then the producer and admin. */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    await Promise.allSettled([...this.subscriptions].map((subscription) => subscription.stop()));
    this.closed = true;
    const admin = this.admin;
    this.admin = null;
    await Promise.allSettled([this.producer.disconnect(), admin?.then((connected) => connected.disconnect())]);
  }

  private connectedAdmin(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin({ retry: { retries: 0 } });
      this.admin = withTimeout(admin.connect(), this.pingTimeoutMs).then(() => admin);
      this.admin.catch(() => {
        this.admin = null;
        void admin.disconnect().catch(() => undefined);
      });
    }
    return this.admin;
  }
}

function byTopic(events: readonly OutgoingEvent[]): TopicMessages[] {
  const grouped = new Map<string, TopicMessages>();
  for (const { topic, envelope } of events) {
    const entry = grouped.get(topic) ?? { topic, messages: [] };
    entry.messages.push(toKafkaMessage(envelope));
    grouped.set(topic, entry);
  }
  return [...grouped.values()];
}

async function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
