import { currentCorrelationId, readBody, sendJson, type Logger, type RouteHandler } from '@shop/platform';
import type { PaymentService } from './payment.service';

/** Where each provider's webhook arrives (the gateway forwards `POST /webhooks/payments/<provider>` unchanged). */
export function webhookPath(provider: string): string {
  return `/webhooks/payments/${provider}`;
}

/**
 * `POST /webhooks/payments/<provider>`: the raw body and headers go to the provider's verifier
 * untouched. 200 when applied or repeated, 400 when refused (logged with the correlation id and
 * the reason, never with the body).
 */
export function webhookRoute(provider: string, payments: PaymentService, log: Logger, now: () => number = Date.now): RouteHandler {
  return async (req, res) => {
    const rawBody = await readBody(req);
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(',') : value;
    const answer = await payments.handleWebhook(provider, rawBody, headers, Math.floor(now() / 1000));
    if (answer.status === 400) log.warn({ provider, correlationId: currentCorrelationId(), reason: answer.reason }, 'webhook refused');
    else log.info({ provider, correlationId: currentCorrelationId(), outcome: answer.outcome }, 'webhook accepted');
    sendJson(res, answer.status, answer.status === 200 ? { received: true, outcome: answer.outcome } : { error: 'webhook refused' });
  };
}
