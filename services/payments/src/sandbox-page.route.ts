import { randomBytes, randomUUID } from 'node:crypto';
import { formatAmount, money, readBody, type Logger, type RouteHandler } from '@shop/platform';
import type { Payment } from './generated/prisma/client';
import type { PaymentService } from './payment.service';
import { SANDBOX_SIGNATURE_HEADER, signSandboxPayload } from './providers/sandbox-signature';

/** Where the hosted sandbox page lives: `GET` shows it, `POST` (its buttons) completes or fails the attempt. */
export const SANDBOX_PAGE_PREFIX = '/pay/sandbox';

/** What the hosted page needs to call the webhook as a real gateway would. */
export interface SandboxPageSettings {
  readonly webhookUrl: string;
  readonly webhookSecret: string;
}

/** The hosted page's two routes. */
export function sandboxPageRoutes(payments: PaymentService, settings: SandboxPageSettings, log: Logger): Record<string, RouteHandler> {
  return {
    [`GET ${SANDBOX_PAGE_PREFIX}/*`]: async (req, res) => {
      const payment = await payments.openSandboxPayment(idFrom(req.url));
      if (!payment) return sendHtml(res, 404, page('Payment not found', '<p>This payment link is not valid.</p>'));
      if (payment.status !== 'PENDING') return sendHtml(res, 200, page('Payment closed', `<p>This payment is ${escape(payment.status.toLowerCase())}.</p>`));
      return sendHtml(res, 200, paymentPage(payment));
    },
    [`POST ${SANDBOX_PAGE_PREFIX}/*`]: async (req, res) => {
      const payment = await payments.openSandboxPayment(idFrom(req.url));
      const outcome = new URLSearchParams(await readBody(req)).get('outcome');
      if (!payment || (outcome !== 'pay' && outcome !== 'fail')) return sendHtml(res, 400, page('Bad request', '<p>Unknown payment or action.</p>'));
      if (payment.status !== 'PENDING') return sendHtml(res, 409, page('Payment closed', `<p>This payment is ${escape(payment.status.toLowerCase())}.</p>`));
      const status = await sendWebhook(payment, outcome === 'pay' ? 'payment.succeeded' : 'payment.failed', settings, log);
      const message = status === 200 ? (outcome === 'pay' ? 'Payment completed. You can return to the shop.' : 'Payment failed. You can return to the shop and try again.') : `The shop refused the notification (HTTP ${status}).`;
      return sendHtml(res, status === 200 ? 200 : 502, page('Sandbox payment', `<p>${escape(message)}</p>`));
    },
  };
}

/** Sends the signed webhook exactly as CONTRACT specifies; returns the HTTP status the shop answered. */
export async function sendWebhook(payment: Payment, type: 'payment.succeeded' | 'payment.failed', settings: SandboxPageSettings, log: Logger): Promise<number> {
  const body = JSON.stringify({ id: `evt_${randomUUID()}`, type, data: { paymentId: payment.id, amount: Number(payment.amountMinor), currency: payment.currency } });
  const signature = signSandboxPayload(settings.webhookSecret, body, Math.floor(Date.now() / 1000));
  try {
    const response = await fetch(settings.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', [SANDBOX_SIGNATURE_HEADER]: signature }, body, signal: AbortSignal.timeout(10_000) });
    return response.status;
  } catch (error) {
    log.error({ err: error, paymentId: payment.id }, 'sandbox webhook could not be delivered');
    return 502;
  }
}

function idFrom(url: string | undefined): string {
  const path = (url ?? '').split('?')[0] ?? '';
  return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
}

function paymentPage(payment: Payment): string {
  const amount = `${formatAmount(money(payment.amountMinor, payment.currency))} ${payment.currency}`;
  const action = `${SANDBOX_PAGE_PREFIX}/${encodeURIComponent(payment.id)}`;
  return page(
    'Sandbox payment',
    `<p>Sandbox gateway: no real money moves.</p>
<p class="amount">${escape(amount)}</p>
<form method="post" action="${escape(action)}"><input type="hidden" name="outcome" value="pay"><button type="submit">Pay</button></form>
<form method="post" action="${escape(action)}"><input type="hidden" name="outcome" value="fail"><button type="submit" class="fail">Fail</button></form>`,
  );
}

const STYLE = 'body{font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem}.amount{font-size:2rem;font-weight:600}form{display:inline-block;margin-right:1rem}button{font-size:1.1rem;padding:.6rem 1.6rem;cursor:pointer}.fail{background:#fee}';

function page(title: string, content: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escape(title)}</title><style>${STYLE}</style></head><body><h1>${escape(title)}</h1>${content}</body></html>`;
}

function sendHtml(res: import('node:http').ServerResponse, status: number, html: string): void {
  const nonce = randomBytes(16).toString('base64');
  const withNonce = html.replace('<style>', `<style nonce="${nonce}">`);
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(withNonce),
    'content-security-policy': `default-src 'none'; style-src 'nonce-${nonce}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  });
  res.end(withNonce);
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
