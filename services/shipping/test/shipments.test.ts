import { randomUUID } from 'node:crypto';
import { errorCodes } from '@shop/platform/testing';
import { SandboxCarrier, type Booking, type BookingRequest, type Carrier } from '../src';
import {
  createShippingDatabase,
  customer,
  paidOrderEvents,
  pause,
  staff,
  startTestBus,
  startTestShipping,
  until,
  type TestBus,
  type TestShipping,
} from './shipping-test-server';

type Database = Awaited<ReturnType<typeof createShippingDatabase>>;

const SHIPMENT = `query ($orderId: ID!) { shipment(orderId: $orderId) { id orderId status carrier trackingNumber dispatchedAt deliveredAt } }`;
const ADVANCE = `mutation ($orderId: ID!) { advanceShipment(orderId: $orderId) { status trackingNumber deliveredAt } }`;

/** A carrier that is down until `up` is set: every booking call fails (counted). */
class FlakyCarrier implements Carrier {
  readonly name = 'sandbox';
  up = false;
  calls = 0;
  private readonly sandbox = new SandboxCarrier();
  async book(request: BookingRequest): Promise<Booking> {
    this.calls += 1;
    if (!this.up) throw new Error('carrier unavailable');
    return this.sandbox.book(request);
  }
  advance = this.sandbox.advance.bind(this.sandbox);
}

describe('shipments of paid orders, two replicas on one database (SHIP-2)', () => {
  let database: Database;
  let bus: TestBus;
  let replicaA: TestShipping;
  let replicaB: TestShipping;

  beforeAll(async () => {
    database = await createShippingDatabase();
    bus = await startTestBus();
    replicaA = await startTestShipping(database.url, { busDatabaseUrl: bus.url });
    replicaB = await startTestShipping(database.url, { busDatabaseUrl: bus.url });
  });
  afterAll(async () => {
    await replicaA?.stop();
    await replicaB?.stop();
    await bus?.close();
    await database?.drop();
  });

  test('SHIP-2: OrderPaid creates one shipment, even redelivered and with two replicas; it is booked with a tracking number (ShipmentCreated, ShipmentDispatched)', async () => {
    const orderId = randomUUID();
    const [awaiting, paid] = paidOrderEvents(orderId, 'customer-a');
    await bus.publish(awaiting, paid);
    await bus.publish(paid);
    await bus.publish({ ...paid, id: randomUUID() });
    const dispatched = await until(() => bus.events('ShipmentDispatched', orderId)[0]);
    await pause(1000);
    expect(await database.db.shipment.count({ where: { orderId } })).toBe(1);
    expect(bus.events('ShipmentCreated', orderId)).toHaveLength(1);
    expect(bus.events('ShipmentDispatched', orderId)).toHaveLength(1);
    const shipment = await database.db.shipment.findUniqueOrThrow({ where: { orderId } });
    expect(shipment).toMatchObject({ status: 'DISPATCHED', customerId: 'customer-a', trackingNumber: expect.stringMatching(/^SBX[0-9A-F]{12}$/) });
    expect(dispatched.payload).toEqual({ shipmentId: shipment.id, orderId, carrier: 'sandbox', trackingNumber: shipment.trackingNumber });
  });

  test('SHIP-2: the shipment is visible to its order\'s owner and staff only; anyone else gets exactly what a missing one gets', async () => {
    const orderId = randomUUID();
    await bus.publish(...paidOrderEvents(orderId, 'customer-owner'));
    await until(() => bus.events('ShipmentDispatched', orderId)[0]);
    const owner = await replicaA.call<{ shipment: { orderId: string; trackingNumber: string } }>(SHIPMENT, { identity: customer('customer-owner'), variables: { orderId } });
    expect(owner.data?.shipment).toMatchObject({ orderId, status: 'DISPATCHED', trackingNumber: expect.stringMatching(/^SBX/) });
    expect((await replicaA.call(SHIPMENT, { identity: staff, variables: { orderId } })).data?.shipment).toMatchObject({ orderId });
    const stranger = await replicaA.call(SHIPMENT, { identity: customer(), variables: { orderId } });
    const missing = await replicaA.call(SHIPMENT, { identity: customer(), variables: { orderId: randomUUID() } });
    expect(stranger.data).toEqual({ shipment: null });
    expect(stranger.errors).toBeUndefined();
    expect(stranger.text).toBe(missing.text);
    expect(errorCodes(await replicaA.call(SHIPMENT, { variables: { orderId } }))).toEqual(errorCodes(await replicaA.call(SHIPMENT, { variables: { orderId: randomUUID() } })));
    expect(errorCodes(await replicaA.call(ADVANCE, { identity: customer('customer-owner'), variables: { orderId } }))).toEqual(['FORBIDDEN']);
  });

  test('SHIP-2: the sandbox carrier moves the parcel on: IN_TRANSIT, then DELIVERED with ShipmentDelivered (once)', async () => {
    const orderId = randomUUID();
    await bus.publish(...paidOrderEvents(orderId, 'customer-b'));
    await until(() => bus.events('ShipmentDispatched', orderId)[0]);
    expect((await replicaA.call<{ advanceShipment: { status: string } }>(ADVANCE, { identity: staff, variables: { orderId } })).data?.advanceShipment.status).toBe('IN_TRANSIT');
    const delivered = await replicaB.call<{ advanceShipment: { status: string; deliveredAt: string } }>(ADVANCE, { identity: staff, variables: { orderId } });
    expect(delivered.data?.advanceShipment).toMatchObject({ status: 'DELIVERED', deliveredAt: expect.any(String) });
    expect(errorCodes(await replicaA.call(ADVANCE, { identity: staff, variables: { orderId } }))).toEqual(['SHIPMENT_NOT_ADVANCEABLE']);
    const event = await until(() => bus.events('ShipmentDelivered', orderId)[0]);
    expect(event.payload).toMatchObject({ orderId, deliveredAt: delivered.data?.advanceShipment.deliveredAt });
    await pause(500);
    expect(bus.events('ShipmentDelivered', orderId)).toHaveLength(1);
    expect(errorCodes(await replicaA.call(ADVANCE, { identity: staff, variables: { orderId: randomUUID() } }))).toEqual(['NOT_FOUND']);
  });
});

describe('carrier failures (SHIP-2)', () => {
  let database: Database;
  let bus: TestBus;
  let shipping: TestShipping;
  const carrier = new FlakyCarrier();

  beforeAll(async () => {
    database = await createShippingDatabase();
    bus = await startTestBus();
    shipping = await startTestShipping(database.url, {
      busDatabaseUrl: bus.url,
      carrier,
      env: { SHIPPING_CARRIER_MAX_ATTEMPTS: '2', SHIPPING_CARRIER_BREAKER_FAILURES: '3', SHIPPING_CARRIER_BREAKER_OPEN_MS: '1500', SHIPPING_BOOKING_BACKOFF_MS: '1' },
    });
  });
  afterAll(async () => {
    await shipping?.stop();
    await bus?.close();
    await database?.drop();
  });

  test('SHIP-2: a failing carrier leaves the shipment BOOKING (the order is not failed); the breaker opens and stops calls; the background job books it once the carrier is back', async () => {
    const orderId = randomUUID();
    await bus.publish(...paidOrderEvents(orderId, 'customer-c'));
    await until(async () => ((await database.db.shipment.findUnique({ where: { orderId } }))?.bookingAttempts ?? 0) >= 1 || undefined);
    expect(await database.db.shipment.findUniqueOrThrow({ where: { orderId } })).toMatchObject({ status: 'BOOKING', trackingNumber: null, lastError: 'carrier unavailable' });
    expect(carrier.calls).toBe(2);
    await until(() => bus.events('ShipmentCreated', orderId)[0]);

    await pause(20);
    expect(await shipping.server.booking.bookDue()).toBe(0);
    expect(carrier.calls).toBe(3);
    expect(shipping.server.booking.breaker.state).toBe('OPEN');
    await pause(20);
    expect(await shipping.server.booking.bookDue()).toBe(0);
    expect(carrier.calls).toBe(3);
    expect((await database.db.shipment.findUniqueOrThrow({ where: { orderId } })).lastError).toMatch(/circuit .* is open/);

    carrier.up = true;
    await until(() => (shipping.server.booking.breaker.state === 'HALF_OPEN' ? true : undefined), 5_000);
    await database.db.scheduledJob.updateMany({ data: { nextRunAt: new Date(Date.now() - 1000) } });
    expect(await shipping.server.bookingJob.runIfDue()).toBe(true);
    expect(await database.db.shipment.findUniqueOrThrow({ where: { orderId } })).toMatchObject({ status: 'DISPATCHED', trackingNumber: expect.stringMatching(/^SBX/), lastError: null });
    expect((await until(() => bus.events('ShipmentDispatched', orderId)[0])).payload).toMatchObject({ orderId });
  });
});
