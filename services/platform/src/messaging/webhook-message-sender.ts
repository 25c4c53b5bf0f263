import { createHmac } from 'node:crypto';
import type { MessageSender, OutgoingMessage } from './message-sender';

/** The header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, as our payment webhooks do. */
export const MESSAGE_SIGNATURE_HEADER = 'shop-signature';
const TIMEOUT_MS = 10_000;

/**
 * Production provider: POSTs each message as JSON (`{ channel, to, subject, body }`) to the shop's
 * messaging relay, which hands it to its SMS gateway or mail service. The body is signed, so the
 * relay can refuse anything that did not come from us. A non-2xx answer or a timeout rejects, and
 * the caller sees the send fail instead of a code silently lost.
 */
export class WebhookMessageSender implements MessageSender {
  constructor(
    private readonly url: string,
    private readonly secret: string,
  ) {}

  async send(message: OutgoingMessage): Promise<void> {
    const body = JSON.stringify({ channel: message.channel, to: message.to, subject: message.subject ?? null, body: message.body });
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = createHmac('sha256', this.secret).update(`${timestamp}.${body}`).digest('hex');
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [MESSAGE_SIGNATURE_HEADER]: `t=${timestamp},v1=${signature}` },
      body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`the messaging relay answered ${response.status} to a ${message.channel} message`);
  }
}
