import type http from 'node:http';
import type { ApolloServer } from '@apollo/server';
import { ANONYMOUS, currentCorrelationId, type RouteHandler } from '@shop/platform';
import type { GatewayContext } from './subgraph-data-source';

const VERIFY_EMAIL = 'mutation ($token: String!) { verifyEmail(token: $token) { id } }';

const page = (title: string, text: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body style="font-family: sans-serif; max-width: 32rem; margin: 4rem auto"><h1>${title}</h1><p>${text}</p></body></html>`;

/**
 * `GET /verify-email?token=...`: where the verification email's link lands (EMAIL_VERIFICATION_URL's
 * default), so the link works without a storefront. It runs the public `verifyEmail` mutation and
 * answers a short page; nothing from the request is echoed into it. A storefront that serves its
 * own page calls the same mutation.
 */
export function verifyEmailPage(apollo: ApolloServer<GatewayContext>, clientAddress: (req: http.IncomingMessage) => string): RouteHandler {
  return async (req, res) => {
    const token = new URL(req.url ?? '/', 'http://gateway').searchParams.get('token') ?? '';
    const response = await apollo.executeOperation(
      { query: VERIFY_EMAIL, variables: { token } },
      { contextValue: { identity: ANONYMOUS, correlationId: currentCorrelationId() ?? 'none', clientAddress: clientAddress(req) } },
    );
    const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
    const confirmed = !result?.errors?.length && result?.data?.verifyEmail != null;
    res.writeHead(confirmed ? 200 : 400, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(
      confirmed
        ? page('Email address confirmed', 'Thank you: your email address is confirmed. You can close this page.')
        : page('This link does not work', 'The link is invalid or has expired. Sign in and ask for a new verification email.'),
    );
  };
}
