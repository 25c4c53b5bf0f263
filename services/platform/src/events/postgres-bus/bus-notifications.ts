import pg from 'pg';
import type { Logger } from '../../logging/logger';
import { NOTIFY_CHANNEL, partitionChannel } from './bus-log';

const RECONNECT_DELAY_MS = 1_000;

/**
 * A sleep that ends early when woken. A wake-up that arrives while the sleeper is busy is kept for
 * its next sleep, so a notification between "read nothing" and "sleep" is not lost.
 */
export class WakeSignal {
  private pending = false;
  private wakeSleeper: (() => void) | undefined;

  sleep(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.wakeSleeper = undefined;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.wakeSleeper = finish;
    });
  }

  wake(): void {
    if (this.wakeSleeper) this.wakeSleeper();
    else this.pending = true;
  }
}

/**
 * The bus's LISTEN connection: wakes the signals registered for a partition when a publisher
 * notifies it. It reconnects after a failure and then wakes everyone, since notifications sent
 * meanwhile are lost (polling would find those events too, only later).
 */
export class BusNotifications {
  private client: pg.Client | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly listeners = new Map<WakeSignal, { topic: string; channel: string }>();

  constructor(
    private readonly url: string,
    private readonly log: Logger,
  ) {}

  /** Wakes `signal` whenever `partition` of `topic` gets events, until {@link remove}. */
  add(topic: string, partition: number, signal: WakeSignal): void {
    this.listeners.set(signal, { topic, channel: partitionChannel(topic, partition) });
  }

  remove(signal: WakeSignal): void {
    this.listeners.delete(signal);
  }

  /** Connects unless connected; the first connection's failure is the caller's. */
  async start(): Promise<void> {
    if (this.client || this.closed) return;
    const client = new pg.Client({ connectionString: this.url, application_name: 'bus:listen' });
    this.client = client;
    client.on('notification', (message) => this.wake(message.payload));
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, undefined));
    try {
      await client.connect();
      await client.query(`LISTEN ${NOTIFY_CHANNEL}`);
    } catch (error) {
      this.client = undefined;
      await client.end().catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  /** `payload` undefined wakes everyone; a bare topic (a publisher of an older version) wakes all its partitions. */
  private wake(payload: string | undefined): void {
    for (const [signal, { topic, channel }] of this.listeners) {
      if (payload === undefined || payload === channel || payload === topic) signal.wake();
    }
  }

  private lost(client: pg.Client, error: Error | undefined): void {
    if (this.client !== client || this.closed) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    this.scheduleReconnect(error);
  }

  private scheduleReconnect(error: unknown): void {
    if (this.closed) return;
    this.log.warn({ err: error }, 'event bus notification connection lost; reconnecting');
    this.reconnectTimer = setTimeout(() => {
      this.start().then(() => this.wake(undefined), (failure: unknown) => this.scheduleReconnect(failure));
    }, RECONNECT_DELAY_MS);
  }
}
