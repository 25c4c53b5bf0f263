import { readFile } from 'node:fs/promises';
import type { MessageChannel } from './message-sender';
import type { SandboxMessageLine } from './sandbox-message-sender';

/** Which sandbox messages to return; omitted fields match everything. */
export interface MessageFilter {
  to?: string;
  channel?: MessageChannel;
}

/**
 * The messages the sandbox sender has written to `file`, oldest first, for tests and local tooling
 * (reading a one-time code or a verification link). A missing file means nothing was sent yet. A
 * trailing line without its newline is a write still in progress and is ignored.
 */
export async function readMessages(file: string, filter: MessageFilter = {}): Promise<SandboxMessageLine[]> {
  const text = await readIfExists(file);
  return completeLines(text)
    .map((line, index) => parseLine(line, index + 1))
    .filter((message) => matches(message, filter));
}

async function readIfExists(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}

function completeLines(text: string): string[] {
  const lines = text.split('\n');
  lines.pop();
  return lines.filter((line) => line.trim() !== '');
}

function parseLine(line: string, lineNumber: number): SandboxMessageLine {
  const value: unknown = JSON.parse(line);
  if (!isMessageLine(value)) throw new Error(`Line ${lineNumber} of the messages file is not a sandbox message`);
  return value;
}

function isMessageLine(value: unknown): value is SandboxMessageLine {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    (v.channel === 'sms' || v.channel === 'email') &&
    typeof v.to === 'string' &&
    (v.subject === null || typeof v.subject === 'string') &&
    typeof v.body === 'string' &&
    typeof v.at === 'string'
  );
}

function matches(message: SandboxMessageLine, filter: MessageFilter): boolean {
  return (filter.to === undefined || message.to === filter.to) && (filter.channel === undefined || message.channel === filter.channel);
}
