import type { Consumer, EachMessagePayload, Kafka } from 'kafkajs';
import type { Logger } from '../../logging/logger';
import { deliverWithRetries } from '../deliver-with-retries';
import type { EventBus, SubscribeOptions, Subscription } from '../event-bus';
import { envelopeFrom } from './kafka-message';

/**
 * How quickly a consumer group notices a dead member and rebalances. kafkajs heartbeats from its
 * fetch loop, so a member stuck in a handler for longer than `sessionTimeoutMs` is evicted and its
 * partitions (with their uncommitted events) go to another member.
 */
export interface KafkaConsumerTimings {
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  /** Longest a fetch waits for new events (also how long `subscribe` may wait to be ready). */
  readonly maxWaitTimeMs: number;
  /** Partitions of one member handled at the same time (each partition stays one-at-a-time). */
  readonly partitionsConcurrently: number;
}

/** Sensible for production; a Kafka broker accepts sessions from 6 s (group.min.session.timeout.ms). */
export const DEFAULT_CONSUMER_TIMINGS: KafkaConsumerTimings = {
  sessionTimeoutMs: 10_000,
  rebalanceTimeoutMs: 15_000,
  heartbeatIntervalMs: 1_000,
  maxWaitTimeMs: 1_000,
  partitionsConcurrently: 8,
};

/** What a subscription needs from its bus. */
export interface SubscriptionContext {
  readonly kafka: Kafka;
  readonly bus: Pick<EventBus, 'publish' | 'kind'>;
  readonly timings: KafkaConsumerTimings;
  readonly log: Logger;
}

/**
 * Starts one consumer-group member. Offsets are committed by kafkajs only for messages whose
 * `eachMessage` resolved (autoCommit resolves an offset after the handler returns, threshold 1
 * commits it right away), and `eachMessage` resolves only after `deliverWithRetries` did: a
 * member that dies mid-handler has not committed, so the group redelivers (at least once).
 * Resolves once the member has joined and fetched, so events published afterwards are seen
 * even by a new group starting at the newest offset.
 */
export async function startKafkaSubscription(context: SubscriptionContext, options: SubscribeOptions): Promise<Subscription> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await joinGroup(context, options);
    } catch (error) {
      if (attempt >= JOIN_ATTEMPTS || !isJoinRace(error)) throw error;
      context.log.warn({ err: error, group: options.group, attempt }, 'joining the consumer group raced another member; joining again');
      await new Promise((resolve) => setTimeout(resolve, attempt * 250));
    }
  }
}

const JOIN_ATTEMPTS = 5;
/**
 * What a coordinator answers a member whose first join overlaps another member's. kafkajs rejoins on
 * these during a rebalance, but on the first join it gives up (they are not "retriable"), and the
 * service would run without its consumer.
 */
const JOIN_RACE_ERRORS = new Set(['REBALANCE_IN_PROGRESS', 'UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION']);

function isJoinRace(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if ('type' in cause && JOIN_RACE_ERRORS.has(String(cause.type))) return true;
  }
  return false;
}

/** One attempt to join the group as a new member. */
async function joinGroup(context: SubscriptionContext, options: SubscribeOptions): Promise<Subscription> {
  const { kafka, timings } = context;
  const consumer = kafka.consumer({
    groupId: options.group,
    sessionTimeout: timings.sessionTimeoutMs,
    rebalanceTimeout: timings.rebalanceTimeoutMs,
    heartbeatInterval: timings.heartbeatIntervalMs,
    maxWaitTimeInMs: timings.maxWaitTimeMs,
    allowAutoTopicCreation: true,
  });
  const stopping = new AbortController();
  const joined = readiness(consumer, 2 * timings.rebalanceTimeoutMs + timings.sessionTimeoutMs);
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...options.topics], fromBeginning: options.fromBeginning ?? false });
    await consumer.run({
      autoCommit: true,
      autoCommitThreshold: 1,
      partitionsConsumedConcurrently: timings.partitionsConcurrently,
      eachMessage: (payload) => handleMessage(context, options, payload, stopping.signal),
    });
    await joined.ready;
  } catch (error) {
    joined.cancel();
    await consumer.disconnect().catch(() => undefined);
    throw error;
  }
  return { stop: () => stopConsumer(consumer, stopping, timings.sessionTimeoutMs) };
}

/**
 * Leaves the group after the event in flight finished, waiting at most `graceMs` (the session
 * timeout: past it the group has moved the partition to another member anyway). A handler still
 * running then is abandoned: its event is not committed and will be redelivered.
 */
async function stopConsumer(consumer: Consumer, stopping: AbortController, graceMs: number): Promise<void> {
  const grace = setTimeout(() => stopping.abort(), graceMs);
  try {
    await consumer.disconnect();
  } finally {
    clearTimeout(grace);
  }
}

/** `ready` resolves at the first fetch after the first join: from then on the member's offsets are fixed. */
function readiness(consumer: Consumer, timeoutMs: number): { ready: Promise<void>; cancel(): void } {
  let cancel: () => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`consumer did not join its group within ${timeoutMs} ms`)), timeoutMs);
    const removers: (() => void)[] = [];
    const done = (error?: Error) => {
      clearTimeout(timer);
      removers.forEach((remove) => remove());
      if (error) reject(error);
      else resolve();
    };
    cancel = () => done();
    removers.push(
      consumer.on(consumer.events.GROUP_JOIN, () => {
        removers.push(consumer.on(consumer.events.FETCH, () => done()));
      }),
      consumer.on(consumer.events.CRASH, (event) => {
        if (!event.payload.restart) done(event.payload.error);
      }),
    );
  });
  return { ready, cancel: () => cancel() };
}

/**
 * One record: a record that is no envelope is logged and skipped (retrying cannot repair it);
 * otherwise the shared retry/dead-letter runner decides. Throwing (dead letter unpublishable, or
 * the subscription stopped mid-handler) leaves the offset uncommitted, so the event comes again.
 */
async function handleMessage(
  context: SubscriptionContext,
  options: SubscribeOptions,
  { topic, partition, message }: EachMessagePayload,
  stopping: AbortSignal,
): Promise<void> {
  const envelope = envelopeFrom(message);
  if (!envelope) {
    context.log.error({ topic, partition, offset: message.offset, group: options.group }, 'skipped a record that is not an event envelope');
    return;
  }
  const origin = { topic, partition, offset: message.offset };
  await untilAborted(deliverWithRetries(context.bus, options, envelope, origin, context.log), stopping);
}

/** `work`, unless `signal` aborts first; then rejects (and `work` goes on, unobserved). */
async function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  const abandon = 'subscription stopped before the handler finished; the event will be redelivered';
  if (signal.aborted) throw new Error(abandon);
  work.catch(() => undefined);
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new Error(abandon));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}
