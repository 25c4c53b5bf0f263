import type { MessageSender } from './message-sender';
import { SandboxMessageSender } from './sandbox-message-sender';
import { WebhookMessageSender } from './webhook-message-sender';

export * from './message-sender';
export * from './read-messages';
export * from './sandbox-message-sender';
export * from './webhook-message-sender';

/** How to choose the message provider at start-up. */
export interface MessageSenderOptions {
  production: boolean;
  /** The sandbox file (`MESSAGES_FILE`); used outside production when no relay is configured. */
  messagesFile?: string | undefined;
  /** The messaging relay (`MESSAGE_WEBHOOK_URL`) and the secret its requests are signed with. */
  webhook?: { url: string; secret: string } | undefined;
}

/**
 * The message provider for this process: the messaging relay when one is configured; otherwise,
 * outside production only, the sandbox that writes messages to `messagesFile` so codes can be read
 * locally. Production never falls back to the sandbox: its codes would sit in a file (SEC-5).
 */
export function createMessageSender(options: MessageSenderOptions): MessageSender {
  if (options.webhook) return new WebhookMessageSender(options.webhook.url, options.webhook.secret);
  if (options.production) {
    throw new Error(
      'MESSAGE_WEBHOOK_URL is missing: production sends SMS and email through the messaging relay; the sandbox sender writes one-time codes to a file and is refused in production.',
    );
  }
  if (!options.messagesFile) throw new Error('MESSAGES_FILE must be set for the sandbox message sender');
  return new SandboxMessageSender(options.messagesFile);
}
