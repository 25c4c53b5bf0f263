import { appendFile, chmod, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { MessageSender, OutgoingMessage } from './message-sender';

/** One line of the sandbox messages file, as the contract specifies it. */
export interface SandboxMessageLine {
  channel: OutgoingMessage['channel'];
  to: string;
  /** Always null for SMS. */
  subject: string | null;
  body: string;
  /** ISO 8601 time the message was sent. */
  at: string;
}

/**
 * Local and test provider: instead of sending, appends one JSON line per message to `file` so
 * that one-time codes and links can be read back (see `readMessages`). The file holds live codes,
 * so its directory is created 0700 and the file 0600. Appends are serialised within the process
 * so that concurrent sends never interleave lines. Never used in production.
 */
export class SandboxMessageSender implements MessageSender {
  private tail: Promise<void> = Promise.resolve();
  private prepared: Promise<void> | undefined;

  constructor(private readonly file: string) {}

  /** Appends the message as one line; resolves once it is written. */
  send(message: OutgoingMessage): Promise<void> {
    const line = `${JSON.stringify(toLine(message, new Date()))}\n`;
    const written = this.tail.then(() => this.append(line));
    this.tail = written.catch(() => undefined);
    return written;
  }

  private async append(line: string): Promise<void> {
    await this.prepare();
    await appendFile(this.file, line, { encoding: 'utf8', mode: 0o600, flag: 'a' });
  }

  /** Creates the directory and file once; retried on the next send if it failed. */
  private prepare(): Promise<void> {
    if (!this.prepared) {
      this.prepared = createPrivateFile(this.file);
      this.prepared.catch(() => {
        this.prepared = undefined;
      });
    }
    return this.prepared;
  }
}

/** Creates the file 0600 in a 0700 directory, tightening a file that already existed with a wider mode. */
async function createPrivateFile(file: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await appendFile(file, '', { mode: 0o600, flag: 'a' });
  await chmod(file, 0o600);
}

function toLine(message: OutgoingMessage, at: Date): SandboxMessageLine {
  return {
    channel: message.channel,
    to: message.to,
    subject: message.channel === 'email' ? (message.subject ?? null) : null,
    body: message.body,
    at: at.toISOString(),
  };
}
