import type http from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import { BREAK, visit, type DocumentNode } from 'graphql';
import { CommonErrors, CORRELATION_HEADER, hasRole, sendJson, type RouteHandler } from '@shop/platform';
import type { GatewayContext } from '../subgraph-data-source';
import { TrustedProxies } from './trusted-proxies';

/** The gateway's browser and transport settings (see config.ts for the variables). */
export interface HttpSecurityOptions {
  readonly production: boolean;
  /** Exact origins (`https://shop.example`) whose pages may call the API; empty = none. */
  readonly corsAllowedOrigins: readonly string[];
  /** Whether those pages may send cookies; the API itself authenticates with a bearer token. */
  readonly corsAllowCredentials: boolean;
  /** IPs and CIDR blocks of the proxies in front of the gateway. */
  readonly trustedProxies: readonly string[];
}

/** What the gateway's routes and Apollo get from this module. */
export interface HttpSecurity {
  /** The same routes with security headers and CORS in front of each. */
  guard(routes: Record<string, RouteHandler>): Record<string, RouteHandler>;
  /** The client's address, through trusted proxies only. */
  clientAddress(req: http.IncomingMessage): string;
  /** Refuses schema introspection in production to everyone but staff. */
  readonly plugin: ApolloServerPlugin<GatewayContext>;
}

const ALLOWED_METHODS = 'GET, POST, OPTIONS';
const ALLOWED_HEADERS = ['content-type', 'authorization', 'x-api-key', 'apollo-require-preflight', 'x-apollo-operation-name', CORRELATION_HEADER].join(', ');
const EXPOSED_HEADERS = [CORRELATION_HEADER, 'retry-after'].join(', ');
const PREFLIGHT_MAX_AGE_SECONDS = '600';
const HSTS = 'max-age=31536000; includeSubDomains';

/** Whether the document asks for the schema (`__schema`, `__type`; `__typename` is harmless). */
function asksForSchema(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Field(node) {
      if (node.name.value !== '__schema' && node.name.value !== '__type') return undefined;
      found = true;
      return BREAK;
    },
  });
  return found;
}

/**
 * Introspection is open in development. In production the schema is staff knowledge: Apollo's own
 * `introspection: false` would shut staff out too, so the gateway lets it through and refuses it
 * here, once the caller's token is verified, to anyone without the STAFF role (FORBIDDEN, HTTP 403).
 */
function introspectionPlugin(production: boolean): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, contextValue, response }) {
          if (!production || hasRole(contextValue.identity, 'STAFF') || !asksForSchema(document)) return;
          response.http.status = 403;
          throw CommonErrors.create('FORBIDDEN', { message: 'Schema introspection is for staff only.' });
        },
      };
    },
  };
}

/**
 * Browser and transport security at the gateway (SEC-6), in front of every route:
 * - CORS from an allowlist: an allowed origin is echoed exactly (with `Vary: Origin`) and its
 *   preflight answered; any other origin gets no CORS headers and its preflight a 403.
 * - `X-Content-Type-Options: nosniff` and `Referrer-Policy: no-referrer` always; in production also
 *   `X-Frame-Options: DENY` and, for requests that came over https (directly or per a trusted
 *   proxy), HSTS.
 * - The client address from `X-Forwarded-For` only through trusted proxies.
 * CSRF is Apollo's `csrfPrevention`: a request a browser sends without a preflight (a form post,
 * a plain GET) must carry a non-simple content type or `apollo-require-preflight`.
 */
export function httpSecurity(options: HttpSecurityOptions): HttpSecurity {
  const proxies = new TrustedProxies(options.trustedProxies);
  const allowedOrigins = new Set(options.corsAllowedOrigins);

  const setSecurityHeaders = (req: http.IncomingMessage, res: http.ServerResponse) => {
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    if (!options.production) return;
    res.setHeader('x-frame-options', 'DENY');
    if (proxies.isHttps(req)) res.setHeader('strict-transport-security', HSTS);
  };

  /** Sets the CORS headers; true when the request was a preflight and is answered. */
  const answerCors = (req: http.IncomingMessage, res: http.ServerResponse): boolean => {
    res.setHeader('vary', 'Origin');
    const origin = req.headers.origin;
    if (origin === undefined) return false;
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (!allowedOrigins.has(origin)) {
      if (preflight) sendJson(res, 403, { error: 'origin not allowed' });
      return preflight;
    }
    res.setHeader('access-control-allow-origin', origin);
    if (options.corsAllowCredentials) res.setHeader('access-control-allow-credentials', 'true');
    if (!preflight) {
      res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
      return false;
    }
    res.writeHead(204, {
      'access-control-allow-methods': ALLOWED_METHODS,
      'access-control-allow-headers': ALLOWED_HEADERS,
      'access-control-max-age': PREFLIGHT_MAX_AGE_SECONDS,
    });
    res.end();
    return true;
  };

  // Several steps of one request ask for its client; the answer cannot change within it.
  const clientAddresses = new WeakMap<http.IncomingMessage, string>();
  return {
    guard: (routes) =>
      Object.fromEntries(
        Object.entries(routes).map(([route, handler]): [string, RouteHandler] => [
          route,
          (req, res) => {
            setSecurityHeaders(req, res);
            if (answerCors(req, res)) return;
            return handler(req, res);
          },
        ]),
      ),
    clientAddress: (req) => {
      let address = clientAddresses.get(req);
      if (address === undefined) clientAddresses.set(req, (address = proxies.clientAddress(req)));
      return address;
    },
    plugin: introspectionPlugin(options.production),
  };
}
