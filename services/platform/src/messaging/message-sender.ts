/** Where an outgoing message goes: a phone number for `sms`, an address for `email`. */
export type MessageChannel = 'sms' | 'email';

/** One message to a person, such as a one-time code by SMS or a verification link by email. */
export interface OutgoingMessage {
  channel: MessageChannel;
  /** A phone number (E.164) for `sms`, an email address for `email`. */
  to: string;
  /** Email subject; SMS has none. */
  subject?: string;
  body: string;
}

/**
 * Sends outgoing messages. A strategy interface so that accounts and notifications depend on
 * "a sender" while the provider (sandbox file locally, an SMS gateway or SMTP in production) is
 * chosen once at start-up by `createMessageSender`.
 */
export interface MessageSender {
  /** Resolves once the provider has accepted the message; rejects if it could not. */
  send(message: OutgoingMessage): Promise<void>;
}
