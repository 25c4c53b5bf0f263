import type { EventEnvelope } from '../envelope';
import { deferred, Inbox, onTopic, testEnvelope, uniqueName, WAIT_MS, waitFor, type BusClients } from './contract-support';

/**
 * PLAT-4 (INV-2, PAY-3): a member that dies while handling an event, before committing it, does
 * not lose it: the next member of the group receives it again, then the events after it.
 */
export async function redeliveryAfterCrash(clients: BusClients): Promise<void> {
  const [producer, doomed] = [await clients.newBus(), await clients.newBus()];
  clients.untrack(doomed);
  const topic = uniqueName('contract.crash');
  const group = uniqueName('crash');
  const [warmUp, inFlight, later] = ['first', 'in-flight', 'later'].map((step) => testEnvelope('payment-1', { step })) as [EventEnvelope, EventEnvelope, EventEnvelope];
  const stuck = deferred();
  let started = false;
  const hang = async (envelope: EventEnvelope): Promise<void> => {
    if (envelope.id !== inFlight.id) return;
    started = true;
    await stuck.promise;
  };
  const dying = new Inbox();
  await doomed.subscribe({ group, topics: [topic], skipContractCheck: true, handle: dying.handler(hang), deadLetterTopic: `${topic}.dlq`, fromBeginning: true });
  await producer.publish(onTopic(topic, [warmUp]));
  await waitFor('the first member to process the warm-up event', () => dying.has(warmUp.id));
  await producer.publish(onTopic(topic, [inFlight]));
  await waitFor('the first member to start handling the event', () => started);
  // Its process "dies": the client closes while the handler never returns.
  const closing = doomed.close();

  const survivor = await clients.newBus();
  const inbox = new Inbox();
  await survivor.subscribe({ group, topics: [topic], skipContractCheck: true, handle: inbox.handler(), deadLetterTopic: `${topic}.dlq`, fromBeginning: true });
  await producer.publish(onTopic(topic, [later]));
  await waitFor('the uncommitted event, then the next one, at the new member', () => inbox.hasAll([inFlight, later]));
  stuck.resolve();
  await closing;
  expect(inbox.ids.indexOf(inFlight.id)).toBeLessThan(inbox.ids.indexOf(later.id));
}

/** PLAT-4: two members of a group share the keys; together they see every event, none twice. */
export async function loadSharing(clients: BusClients): Promise<void> {
  const [producer, first, second] = [await clients.newBus(), await clients.newBus(), await clients.newBus()];
  const topic = uniqueName('contract.share');
  const group = uniqueName('share');
  const [a, b] = [new Inbox(), new Inbox()];
  await first.subscribe({ group, topics: [topic], skipContractCheck: true, handle: a.handler(), deadLetterTopic: `${topic}.dlq` });
  await second.subscribe({ group, topics: [topic], skipContractCheck: true, handle: b.handler(), deadLetterTopic: `${topic}.dlq` });
  const published: EventEnvelope[] = [];
  const publishRound = async (): Promise<void> => {
    const round = Array.from({ length: 16 }, () => testEnvelope(uniqueName('share-key'), {}));
    published.push(...round);
    await producer.publish(onTopic(topic, round));
  };
  // Rounds of events with fresh keys until the group has settled and both members have work.
  const bothBusy = async (): Promise<boolean> => {
    await publishRound();
    return a.deliveries.length > 0 && b.deliveries.length > 0;
  };
  await waitFor('both members to receive events', bothBusy, WAIT_MS, 250);
  await publishRound();

  const received = (): string[] => [...a.ids, ...b.ids];
  await waitFor('every event to reach one of the members', () => new Set(received()).size === published.length);
  expect(received()).toHaveLength(published.length);
}

/** PLAT-4: every group sees every event of a topic. */
export async function everyGroupSeesEveryEvent(clients: BusClients): Promise<void> {
  const [producer, one, other] = [await clients.newBus(), await clients.newBus(), await clients.newBus()];
  const topic = uniqueName('contract.groups');
  const [billing, shipping] = [new Inbox(), new Inbox()];
  await one.subscribe({ group: uniqueName('billing'), topics: [topic], skipContractCheck: true, handle: billing.handler(), deadLetterTopic: `${topic}.dlq` });
  await other.subscribe({ group: uniqueName('shipping'), topics: [topic], skipContractCheck: true, handle: shipping.handler(), deadLetterTopic: `${topic}.dlq` });
  const events = Array.from({ length: 20 }, (_, index) => testEnvelope(`order-${index % 5}`, { index }));
  await producer.publish(onTopic(topic, events));

  await waitFor('both groups to receive all events', () => billing.hasAll(events) && shipping.hasAll(events));
  expect(billing.deliveries).toHaveLength(events.length);
  expect(shipping.deliveries).toHaveLength(events.length);
}
