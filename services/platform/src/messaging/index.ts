import type { MessageSender } from './message-sender';
import { SandboxMessageSender } from './sandbox-message-sender';

export * from './message-sender';
export * from './read-messages';
export * from './sandbox-message-sender';

/** How to choose the message provider at start-up. */
export interface MessageSenderOptions {
  production: boolean;
  /** The sandbox file (`MESSAGES_FILE`); required outside production. */
  messagesFile?: string | undefined;
}

/**
 * The message provider for this process. Outside production, the sandbox that writes messages to
 * `messagesFile` so codes can be read locally. In production the sandbox is refused, because
 * production providers never write codes anywhere (SEC-5); no real SMS or email provider exists
 * yet, so this throws in production and a production accounts service cannot start until one is
 * implemented and configured here.
 */
export function createMessageSender(options: MessageSenderOptions): MessageSender {
  if (options.production) {
    throw new Error(
      'No production message provider is configured: the sandbox SMS/email sender writes one-time codes to a file and is refused in production. Configure a real SMS gateway and email provider.',
    );
  }
  if (!options.messagesFile) throw new Error('MESSAGES_FILE must be set for the sandbox message sender');
  return new SandboxMessageSender(options.messagesFile);
}
