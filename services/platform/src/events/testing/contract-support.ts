import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventEnvelope } from '../envelope';
import type { DeliveryInfo, EventBus, EventHandler, OutgoingEvent } from '../event-bus';

/** A broker the contract runs against; `newBus()` is a new client, as another process would have. */
export interface ContractBroker {
  newBus(): Promise<EventBus>;
  cleanup(): Promise<void>;
}

/** Deadline for one condition: generous, since Kafka group rebalances take seconds. */
export const WAIT_MS = 60_000;

/** A name no other test (or earlier run against the same broker) uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

/** Polls `condition` until it holds; fails naming `what` after `timeoutMs`. */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = WAIT_MS, intervalMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** A test event, keyed by `aggregateId`. */
export function testEnvelope<Payload>(aggregateId: string, payload: Payload): EventEnvelope<Payload> {
  return {
    id: randomUUID(),
    type: 'ContractTested',
    version: 1,
    occurredAt: new Date().toISOString(),
    source: 'contract',
    aggregateId,
    correlationId: randomUUID(),
    causationId: null,
    payload,
  };
}

/** `envelopes` as messages for one topic. */
export function onTopic(topic: string, envelopes: readonly EventEnvelope[]): OutgoingEvent[] {
  return envelopes.map((envelope) => ({ topic, envelope }));
}

/** A promise resolved from outside, to hold a handler in flight. */
export function deferred(): { promise: Promise<void>; resolve(): void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

/** What one subscriber received, in delivery order. */
export class Inbox {
  readonly deliveries: { envelope: EventEnvelope; delivery: DeliveryInfo }[] = [];

  /** The handler to subscribe with; `before` runs first (it may throw or hang). */
  handler(before?: EventHandler): EventHandler {
    return async (envelope, delivery) => {
      if (before) await before(envelope, delivery);
      this.deliveries.push({ envelope, delivery });
    };
  }

  get envelopes(): EventEnvelope[] {
    return this.deliveries.map((entry) => entry.envelope);
  }

  get ids(): string[] {
    return this.envelopes.map((envelope) => envelope.id);
  }

  has(id: string): boolean {
    return this.ids.includes(id);
  }

  hasAll(envelopes: readonly EventEnvelope[]): boolean {
    const ids = new Set(this.ids);
    return envelopes.every((envelope) => ids.has(envelope.id));
  }
}

/** The clients a case opened, closed after it; a client the case closes itself is untracked first. */
export class BusClients {
  private broker: ContractBroker | undefined;
  private readonly open = new Set<EventBus>();

  constructor(
    private readonly name: string,
    private readonly connect: () => Promise<ContractBroker | null>,
  ) {}

  async start(): Promise<void> {
    const broker = await this.connect();
    if (!broker) {
      throw new Error(
        `${this.name}: connect() returned null, so the broker is unavailable. Jest cannot skip tests once they run; ` +
          'pass `unavailable` to describeEventBusContract to skip the suite when the broker is missing.',
      );
    }
    this.broker = broker;
  }

  async newBus(): Promise<EventBus> {
    if (!this.broker) throw new Error(`${this.name}: no broker`);
    const bus = await this.broker.newBus();
    this.open.add(bus);
    return bus;
  }

  untrack(bus: EventBus): void {
    this.open.delete(bus);
  }

  async closeAll(): Promise<void> {
    const buses = [...this.open];
    this.open.clear();
    await Promise.all(buses.map((bus) => bus.close()));
  }

  async cleanup(): Promise<void> {
    await this.closeAll();
    await this.broker?.cleanup();
  }
}
