import type { DeadLetter } from '../event-bus';
import { Inbox, onTopic, testEnvelope, uniqueName, waitFor, type BusClients } from './contract-support';

function byId(a: { id: string }, b: { id: string }): number {
  return a.id.localeCompare(b.id);
}

/** PLAT-4, PLAT-3: every published envelope reaches a subscriber unchanged, its trace context included. */
export async function publishThenConsume(clients: BusClients): Promise<void> {
  const [producer, consumer] = [await clients.newBus(), await clients.newBus()];
  const topic = uniqueName('contract.intact');
  const inbox = new Inbox();
  await consumer.subscribe({ group: uniqueName('intact'), topics: [topic], skipContractCheck: true, handle: inbox.handler(), deadLetterTopic: `${topic}.dlq` });
  const events = [
    testEnvelope('cart-1', { lines: [{ sku: 'A-1', quantity: 2, amount: '1999' }], note: 'ünïcødé ✓', empty: null }),
    { ...testEnvelope('cart-2', { nested: { deep: { flag: true, count: 0 } } }), causationId: 'cause-1', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
    testEnvelope('cart-1', []),
  ];
  await producer.publish(onTopic(topic, events));

  await waitFor('all three events', () => inbox.deliveries.length >= events.length);
  expect([...inbox.envelopes].sort(byId)).toEqual([...events].sort(byId));
  for (const { delivery } of inbox.deliveries) expect(delivery).toMatchObject({ topic, attempt: 1 });
}

/** PLAT-4 (INV-2, PAY-3): one key's events arrive in publish order, across batches and interleaved keys. */
export async function perKeyOrder(clients: BusClients): Promise<void> {
  const [producer, consumer] = [await clients.newBus(), await clients.newBus()];
  const topic = uniqueName('contract.order');
  const keys = ['order-a', 'order-b', 'order-c', 'order-d'];
  const events = Array.from({ length: keys.length * 50 }, (_, index) => testEnvelope(keys[index % keys.length] ?? '', { n: Math.floor(index / keys.length) }));
  const inbox = new Inbox();
  await consumer.subscribe({ group: uniqueName('order'), topics: [topic], skipContractCheck: true, handle: inbox.handler(), deadLetterTopic: `${topic}.dlq` });
  for (let start = 0; start < events.length; start += 20) await producer.publish(onTopic(topic, events.slice(start, start + 20)));

  await waitFor('all 200 events', () => inbox.hasAll(events));
  for (const key of keys) {
    const received = inbox.envelopes.filter((envelope) => envelope.aggregateId === key).map((envelope) => (envelope.payload as { n: number }).n);
    expect({ key, received }).toEqual({ key, received: Array.from({ length: 50 }, (_, n) => n) });
  }
}

/** PLAT-4: a handler that keeps failing sends its event to the dead-letter topic and the group moves on. */
export async function deadLetter(clients: BusClients): Promise<void> {
  const [producer, consumer, reader] = [await clients.newBus(), await clients.newBus(), await clients.newBus()];
  const topic = uniqueName('contract.poison');
  const dlq = `${topic}.dlq`;
  const group = uniqueName('poison');
  const poison = testEnvelope('poisoned-1', { bad: true });
  let poisonAttempts = 0;
  const inbox = new Inbox();
  const letters = new Inbox();
  const failPoison = async (envelope: { id: string }): Promise<void> => {
    if (envelope.id !== poison.id) return;
    poisonAttempts += 1;
    throw new Error('cannot process this event');
  };
  await consumer.subscribe({ group, topics: [topic], skipContractCheck: true, handle: inbox.handler(failPoison), deadLetterTopic: dlq, maxAttempts: 3, retryBackoffMs: 10 });
  await reader.subscribe({ group: uniqueName('dlq-reader'), topics: [dlq], skipContractCheck: true, handle: letters.handler(), deadLetterTopic: `${dlq}.dlq`, fromBeginning: true });
  await producer.publish(onTopic(topic, [poison]));
  const after = [testEnvelope('healthy-1', {}), testEnvelope('healthy-2', {}), testEnvelope('poisoned-1', { bad: false })];
  await producer.publish(onTopic(topic, after));

  await waitFor('the dead letter and the events after it', () => letters.deliveries.length >= 1 && inbox.hasAll(after));
  expect(poisonAttempts).toBe(3);
  expect(inbox.has(poison.id)).toBe(false);
  const [letter] = letters.envelopes;
  expect(letter).toMatchObject({ type: 'EventDeadLettered', aggregateId: poison.aggregateId, causationId: poison.id });
  expect(letter?.payload).toMatchObject<Partial<DeadLetter>>({ envelope: poison, group, attempts: 3, error: { message: 'cannot process this event', name: 'Error' } });
}

/** PLAT-4: a new group starts at the newest event, or at the oldest retained with `fromBeginning`. */
export async function lateSubscriber(clients: BusClients): Promise<void> {
  const [producer, consumer] = [await clients.newBus(), await clients.newBus()];
  const topic = uniqueName('contract.late');
  const keys = ['late-1', 'late-2', 'late-3', 'late-4', 'late-5'];
  const older = keys.map((key) => testEnvelope(key, { age: 'older' }));
  await producer.publish(onTopic(topic, older));
  const [latest, replay] = [new Inbox(), new Inbox()];
  await consumer.subscribe({ group: uniqueName('late'), topics: [topic], skipContractCheck: true, handle: latest.handler(), deadLetterTopic: `${topic}.dlq` });
  await consumer.subscribe({ group: uniqueName('replay'), topics: [topic], skipContractCheck: true, handle: replay.handler(), deadLetterTopic: `${topic}.dlq`, fromBeginning: true });
  // Same keys as the older events: per-key order means an older event would arrive before its newer one.
  const newer = keys.map((key) => testEnvelope(key, { age: 'newer' }));
  await producer.publish(onTopic(topic, newer));

  await waitFor('both groups to receive the newer events', () => latest.hasAll(newer) && replay.hasAll([...older, ...newer]));
  expect(latest.envelopes.filter((envelope) => older.some((old) => old.id === envelope.id))).toEqual([]);
}
