import type http from 'node:http';
import { CORRELATION_HEADER, readBody, sendJson, type RouteHandler } from '@shop/platform';

/** Request headers a payment route needs: the body's type, the providers' signatures, tracing. */
const FORWARDED_REQUEST_HEADERS = ['content-type', 'accept', 'shop-signature', 'stripe-signature', CORRELATION_HEADER];
/** Response headers the browser or provider must see as the payments service set them. */
const FORWARDED_RESPONSE_HEADERS = ['content-type', 'content-security-policy', 'cache-control', 'location', 'referrer-policy'];
const TIMEOUT_MS = 10_000;

function pick(headers: http.IncomingHttpHeaders, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.flatMap((name) => (typeof headers[name] === 'string' ? [[name, headers[name]]] : [])));
}

/**
 * The payment provider's routes on the one public origin (CONTRACT: the sandbox webhook is
 * `POST :4000/webhooks/payments/sandbox`): signed webhooks and the sandbox's hosted payment page,
 * forwarded to the payments service with the raw body untouched, since the signature covers it
 * byte for byte. The payments service checks every signature itself; the gateway adds nothing.
 */
export function paymentRoutes(paymentsGraphqlUrl: string): Record<string, RouteHandler> {
  const origin = new URL(paymentsGraphqlUrl).origin;
  const forward: RouteHandler = async (req, res) => {
    const body = req.method === 'POST' ? await readBody(req) : undefined;
    let answer: Response;
    try {
      answer = await fetch(`${origin}${req.url ?? '/'}`, {
        method: req.method,
        headers: pick(req.headers, FORWARDED_REQUEST_HEADERS),
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch {
      // A provider retries a webhook that was not answered 2xx; nothing is lost.
      return sendJson(res, 503, { error: 'payments unavailable' }, { 'retry-after': '5' });
    }
    const headers = Object.fromEntries(FORWARDED_RESPONSE_HEADERS.flatMap((name) => {
      const value = answer.headers.get(name);
      return value === null ? [] : [[name, value]];
    }));
    const text = Buffer.from(await answer.arrayBuffer());
    res.writeHead(answer.status, { ...headers, 'content-length': text.length });
    res.end(text);
  };
  return {
    'POST /webhooks/payments/sandbox': forward,
    'POST /webhooks/payments/stripe': forward,
    'GET /pay/sandbox/*': forward,
    'POST /pay/sandbox/*': forward,
  };
}
