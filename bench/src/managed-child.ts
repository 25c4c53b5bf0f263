import { spawn, type ChildProcess } from 'node:child_process';
import type { Cleanup } from './cleanup';
import { descendantsOf, isAlive, processInfo, type ProcessInfo } from './process-tree';

const OUTPUT_TAIL_LINES = 60;
const STOP_GRACE_MS = 10_000;

/** A child process the bench owns: its output is kept, and it is stopped on every exit path. */
export interface ManagedChild {
  readonly name: string;
  readonly pid: number;
  /** The last lines of stdout and stderr, for error messages. */
  outputTail(): string;
  /** Resolves with the first stdout/stderr line matching `pattern`; rejects on exit or timeout. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
  /** Remembers the current descendants, so they are found and stopped even if the child dies first. */
  rememberDescendants(): void;
  /** SIGTERM, SIGKILL (child and descendants) after 10 s, then waits for the descendants to go; idempotent. */
  stop(): Promise<void>;
}

/** What to start. `afterStop` runs once the process tree is gone (e.g. removing its data). */
export interface ManagedChildOptions {
  readonly name: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly cleanup: Cleanup;
  readonly afterStop?: () => Promise<void>;
  readonly afterStopSync?: () => void;
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function waitUntilGone(tree: readonly ProcessInfo[], timeoutMs: number): Promise<ProcessInfo[]> {
  const deadline = Date.now() + timeoutMs;
  let alive = tree.filter((info) => isAlive(info.pid));
  while (alive.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    alive = alive.filter((info) => isAlive(info.pid));
  }
  return alive;
}

function killAll(pid: number, tree: readonly ProcessInfo[]): void {
  for (const target of [-pid, pid, ...tree.map((info) => info.pid)]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Spawns `node <args>` in its own process group (so a Ctrl-C reaches only the bench, which stops it). */
export function spawnManaged(options: ManagedChildOptions): ManagedChild {
  const child = spawn(process.execPath, [...options.args], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  if (child.pid === undefined) throw new Error(`could not start ${options.name}`);
  const pid = child.pid;
  const lines: string[] = [];
  const listeners = new Set<(line: string) => void>();
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream?.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        if (lines.length > OUTPUT_TAIL_LINES) lines.shift();
        for (const listener of listeners) listener(line);
      }
    });
  }
  const outputTail = () => lines.join('\n');
  let remembered: ProcessInfo[] = [];
  /** Current descendants plus remembered ones still running under the same name (orphans after a crash). */
  const tree = () => {
    const current = descendantsOf(pid);
    const orphans = remembered.filter((old) => !current.some((info) => info.pid === old.pid) && processInfo(old.pid)?.name === old.name);
    return [...current, ...orphans];
  };

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      const processes = tree();
      if (!exited(child)) {
        child.kill('SIGTERM');
        if (!(await waitForExit(child, STOP_GRACE_MS))) {
          process.stderr.write(`${options.name} did not stop within ${STOP_GRACE_MS / 1000} s of SIGTERM; sending SIGKILL\n`);
          killAll(pid, processes);
          await waitForExit(child, 5000);
        }
      }
      const survivors = await waitUntilGone(processes, STOP_GRACE_MS);
      if (survivors.length > 0) {
        process.stderr.write(`${options.name}: killing ${survivors.length} leftover process(es): ${survivors.map((s) => `${s.pid} ${s.name}`).join(', ')}\n`);
        killAll(pid, survivors);
        await waitUntilGone(survivors, 5000);
      }
      await options.afterStop?.();
    })());
  const unregister = options.cleanup.add({
    name: `stopping ${options.name}`,
    run: stop,
    emergency: () => {
      killAll(pid, tree());
      options.afterStopSync?.();
    },
  });

  const waitForLine = (pattern: RegExp, timeoutMs: number) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const finish = (error: Error | null, match?: RegExpExecArray) => {
        clearTimeout(timer);
        listeners.delete(onLine);
        child.off('exit', onExit);
        if (match) resolve(match);
        else reject(error ?? new Error('no match'));
      };
      const onLine = (line: string) => {
        const match = pattern.exec(line);
        if (match) finish(null, match);
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
        finish(new Error(`${options.name} exited (${signal ?? `code ${code}`}) before printing ${pattern}; its last output:\n${outputTail()}`));
      const timer = setTimeout(
        () => finish(new Error(`${options.name} did not print ${pattern} within ${timeoutMs / 1000} s; its last output:\n${outputTail()}`)),
        timeoutMs,
      );
      listeners.add(onLine);
      child.on('exit', onExit);
      for (const line of lines) onLine(line);
      if (exited(child)) onExit(child.exitCode, child.signalCode);
    });

  return {
    name: options.name,
    pid,
    outputTail,
    waitForLine,
    rememberDescendants: () => {
      remembered = descendantsOf(pid);
    },
    stop: async () => {
      await stop();
      unregister();
    },
  };
}
