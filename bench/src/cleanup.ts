/** One thing to undo: `run` normally, `emergency` synchronously when the process is exiting anyway. */
interface Action {
  readonly name: string;
  readonly run: () => Promise<void>;
  readonly emergency?: () => void;
}

/**
 * Everything the bench must undo (child processes, temp dirs, running load), undone in reverse
 * order on every exit path: normal end, error, SIGINT/SIGTERM (a second signal forces a
 * synchronous kill), and `process.exit` (synchronous emergency actions only).
 */
export class Cleanup {
  private readonly actions: Action[] = [];
  private running: Promise<void> | undefined;
  /** The signal that interrupted the bench, if any. */
  interruptedBy: NodeJS.Signals | undefined;

  /** Registers an action; returns a function that unregisters it (once it has been done normally). */
  add(action: Action): () => void {
    this.actions.push(action);
    return () => {
      const index = this.actions.indexOf(action);
      if (index >= 0) this.actions.splice(index, 1);
    };
  }

  /** Runs every registered action once, newest first; failures are reported, not thrown. */
  runAll(): Promise<void> {
    this.running ??= (async () => {
      for (let action = this.actions.pop(); action; action = this.actions.pop()) {
        try {
          await action.run();
        } catch (error) {
          process.stderr.write(`cleanup: ${action.name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
        }
      }
    })();
    return this.running;
  }

  /** Synchronous last resort: the emergency form of every action not yet done. */
  emergencyAll(): void {
    for (let action = this.actions.pop(); action; action = this.actions.pop()) {
      try {
        action.emergency?.();
      } catch {
        // Exiting anyway; nothing more can be done.
      }
    }
  }

  /** SIGINT/SIGTERM run the cleanup then exit 130/143; a second signal kills at once; exit runs emergencies. */
  installHandlers(): void {
    const onSignal = (signal: NodeJS.Signals) => {
      if (this.interruptedBy) {
        this.emergencyAll();
        process.exit(1);
      }
      this.interruptedBy = signal;
      process.stderr.write(`\n${signal}: stopping the bench and everything it started (again to force)...\n`);
      void this.runAll().then(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    process.on('exit', () => this.emergencyAll());
  }
}
