import { BusClients, type ContractBroker } from './contract-support';
import { deadLetter, lateSubscriber, perKeyOrder, publishThenConsume } from './delivery-cases';
import { everyGroupSeesEveryEvent, loadSharing, redeliveryAfterCrash } from './group-cases';

export type { ContractBroker } from './contract-support';

const CASE_TIMEOUT_MS = 120_000;

/** Extra knobs for {@link describeEventBusContract}. */
export interface EventBusContractOptions {
  /**
   * Answers synchronously, while jest collects tests, why the broker cannot be used (or undefined
   * when it can). Jest cannot skip a test once it runs, so only this turns "no broker" into a
   * skipped test; a `connect()` that returns null instead fails the suite with a clear message.
   */
  readonly unavailable?: () => string | undefined;
}

/**
 * The behaviour every {@link EventBus} adapter must show (PLAT-4, relied on by INV-2 and PAY-3),
 * written once and run against each bus. `connect` reaches the broker; each `newBus()` is a new
 * client, like another process or replica. Topic and group names are random per case.
 */
export function describeEventBusContract(
  name: string,
  connect: () => Promise<ContractBroker | null>,
  options: EventBusContractOptions = {},
): void {
  const reason = options.unavailable?.();
  if (reason !== undefined) {
    describe(`${name} event bus contract`, () => {
      it.skip(`PLAT-4: SKIPPED, the ${name} broker is unavailable: ${reason}`, () => undefined);
    });
    return;
  }
  describe(`${name} event bus contract`, () => {
    const clients = new BusClients(name, connect);
    beforeAll(() => clients.start(), CASE_TIMEOUT_MS);
    afterEach(() => clients.closeAll(), CASE_TIMEOUT_MS);
    afterAll(() => clients.cleanup(), CASE_TIMEOUT_MS);

    it('PLAT-4, PLAT-3: a subscriber receives every published envelope intact, its traceparent included', () => publishThenConsume(clients), CASE_TIMEOUT_MS);
    it('PLAT-4 (INV-2, PAY-3): events of one key arrive in publish order', () => perKeyOrder(clients), CASE_TIMEOUT_MS);
    it('PLAT-4 (INV-2, PAY-3): an event in flight when its member dies is redelivered to another member', () => redeliveryAfterCrash(clients), CASE_TIMEOUT_MS);
    it('PLAT-4: members of a group share the events, each processed once', () => loadSharing(clients), CASE_TIMEOUT_MS);
    it('PLAT-4: every group sees every event', () => everyGroupSeesEveryEvent(clients), CASE_TIMEOUT_MS);
    it('PLAT-4: an event that keeps failing is dead-lettered and the group moves on', () => deadLetter(clients), CASE_TIMEOUT_MS);
    it('PLAT-4: a new group sees only newer events unless it starts from the beginning', () => lateSubscriber(clients), CASE_TIMEOUT_MS);
  });
}
