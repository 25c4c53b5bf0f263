import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** A running librdkafka mock cluster (one broker) and how to stop it. */
export interface KafkaMock {
  /** Bootstrap address(es), e.g. `['127.0.0.1:41234']`. */
  readonly brokers: string[];
  /** Kills kcat and waits until it has exited. Safe to call twice. */
  stop(): Promise<void>;
}

const KCAT_ARGS = ['-X', 'test.mock.num.brokers=1', '-d', 'mock', '-C', '-b', 'x:9092', '-t', 'warmup'];
const BOOTSTRAP_LINE = /bootstrap\.servers=(\d{1,3}(?:\.\d{1,3}){3}:\d+)/;
const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;
const TAIL_LINES = 20;

/**
 * Starts a real Kafka-protocol broker for tests: Debian's `kcat` with librdkafka's mock cluster
 * (DESIGN "Tests"). It auto-creates topics (4 partitions each) and supports consumer groups, but
 * has no controller, so admin createTopics and the idempotent producer are unavailable.
 * Resolves to null when `kcat` is not installed, so a suite can skip with a visible reason.
 */
export async function startKafkaMock(): Promise<KafkaMock | null> {
  const child = spawn('kcat', KCAT_ARGS, { stdio: ['ignore', 'ignore', 'pipe'] });
  const spawned = await spawnOutcome(child);
  if (spawned === 'missing') return null;
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    await stopChild(child);
    process.removeListener('exit', killOnExit);
  };
  try {
    return { brokers: [await bootstrapAddress(child)], stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Whether the binary started, or is not installed (ENOENT); other spawn errors are thrown. */
async function spawnOutcome(child: ChildProcess): Promise<'started' | 'missing'> {
  return new Promise((resolve, reject) => {
    child.once('spawn', () => resolve('started'));
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') resolve('missing');
      else reject(error);
    });
  });
}

/**
 * Reads kcat's stderr until the mock announces its address (the last lines go into the error when
 * it never does). The mock's debug log keeps flowing after that; it is drained unread, so kcat
 * never blocks on a full pipe.
 */
async function bootstrapAddress(child: ChildProcess): Promise<string> {
  const stderr = child.stderr;
  if (!stderr) throw new Error('kcat stderr is not piped');
  stderr.setEncoding('utf8');
  const tail: string[] = [];
  return new Promise<string>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => fail(`kcat did not announce a mock broker within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    const fail = (reason: string) => {
      clearTimeout(timer);
      reject(new Error(`${reason}; kcat stderr tail:\n${tail.join('\n')}`));
    };
    stderr.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        tail.push(line);
        if (tail.length > TAIL_LINES) tail.shift();
        const match = BOOTSTRAP_LINE.exec(line);
        if (match?.[1]) {
          clearTimeout(timer);
          stderr.removeAllListeners('data');
          stderr.resume();
          resolve(match[1]);
          return;
        }
      }
      if (buffered.length > 64_000) buffered = '';
    });
    child.once('exit', (code, signal) => fail(`kcat exited early (code ${String(code)}, signal ${String(signal)})`));
  });
}

/** SIGTERM, then SIGKILL if kcat lingers; resolves once the process is gone. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}
