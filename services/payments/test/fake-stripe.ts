import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake Stripe API received. */
export interface StripeRequest {
  readonly method: string;
  readonly path: string;
  readonly idempotencyKey: string | undefined;
  readonly form: URLSearchParams;
}

/** A local HTTP fake of the three Stripe endpoints the card adapter uses. */
export interface FakeStripe {
  readonly url: string;
  readonly requests: StripeRequest[];
  /** PaymentIntent status per id, as retrieve answers. */
  readonly statuses: Map<string, string>;
  failNext: number;
  close(): Promise<void>;
}

export async function startFakeStripe(): Promise<FakeStripe> {
  const intents = new Map<string, { id: string; amount: number; currency: string; metadata: Record<string, string> }>();
  const byKey = new Map<string, string>();
  let counter = 0;
  const fake = { requests: [] as StripeRequest[], statuses: new Map<string, string>(), failNext: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const key = req.headers['idempotency-key'];
      fake.requests.push({ method: req.method ?? 'GET', path, idempotencyKey: Array.isArray(key) ? key[0] : key, form });
      const send = (status: number, body: object) => res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${counter}` }).end(JSON.stringify(body));
      if (fake.failNext > 0) {
        fake.failNext -= 1;
        return send(500, { error: { type: 'api_error', message: 'fake outage' } });
      }
      if (req.method === 'POST' && path === '/v1/payment_intents') {
        const existing = typeof key === 'string' ? byKey.get(key) : undefined;
        if (existing) return send(200, { object: 'payment_intent', ...intents.get(existing), status: 'requires_payment_method', amount_received: 0 });
        counter += 1;
        const metadata: Record<string, string> = {};
        for (const [name, value] of form) {
          const match = /^metadata\[(.+)\]$/.exec(name);
          if (match?.[1]) metadata[match[1]] = value;
        }
        const intent = { id: `pi_${counter}`, amount: Number(form.get('amount')), currency: form.get('currency') ?? 'eur', metadata };
        intents.set(intent.id, intent);
        if (typeof key === 'string') byKey.set(key, intent.id);
        return send(200, { object: 'payment_intent', ...intent, status: 'requires_payment_method', amount_received: 0, client_secret: `${intent.id}_secret` });
      }
      const retrieve = /^\/v1\/payment_intents\/([^/]+)$/.exec(path);
      if (req.method === 'GET' && retrieve?.[1] && intents.has(retrieve[1])) {
        const intent = intents.get(retrieve[1]) as { amount: number };
        const status = fake.statuses.get(retrieve[1]) ?? 'requires_payment_method';
        return send(200, { object: 'payment_intent', ...intent, status, amount_received: status === 'succeeded' ? intent.amount : 0 });
      }
      if (req.method === 'POST' && path === '/v1/refunds') return send(200, { object: 'refund', id: `re_${counter}`, amount: Number(form.get('amount')), status: 'succeeded' });
      return send(404, { error: { type: 'invalid_request_error', message: 'no such route' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(fake, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
