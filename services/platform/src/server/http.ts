import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap } from '@apollo/server';
import type { ApolloServer, BaseContext, HTTPGraphQLResponse } from '@apollo/server';
import { correlationIdFrom, CORRELATION_HEADER, withCorrelationId } from '../logging/correlation';
import { logger } from '../logging/logger';

/** A route handler: answers one HTTP request completely. */
export type RouteHandler = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> | void;

const MAX_BODY_BYTES = 1024 * 1024;

/** Reads a request body up to 1 MiB; a larger one is refused before it fills memory. */
export async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new PayloadTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

class PayloadTooLarge extends Error {}

/** Writes a JSON answer. */
export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function headerMap(req: http.IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

async function writeGraphQLResponse(res: http.ServerResponse, response: HTTPGraphQLResponse): Promise<void> {
  for (const [name, value] of response.headers) res.setHeader(name, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/** Runs one HTTP request through Apollo Server with the context `contextFor` builds. */
export async function handleGraphQL<Context extends BaseContext>(
  apollo: ApolloServer<Context>,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  contextFor: () => Promise<Context>,
): Promise<void> {
  let body: unknown;
  if (req.method === 'POST') {
    const text = await readBody(req);
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      sendJson(res, 400, { errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST', retryable: false } }] });
      return;
    }
  }
  const url = new URL(req.url ?? '/', 'http://localhost');
  const response = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method ?? 'GET', headers: headerMap(req), search: url.search, body },
    context: contextFor,
  });
  await writeGraphQLResponse(res, response);
}

/**
 * A bare node:http server with a route table (`"GET /healthz"`, `"POST /graphql"`, `"* /graphql"`
 * for every method, or `"GET /pay/sandbox/*"` for any last path segment). Each request runs under
 * its correlation id; an unexpected failure answers 500 without details and is logged in full.
 */
export function createHttpServer(routes: Record<string, RouteHandler>): http.Server {
  return http.createServer((req, res) => {
    const correlationId = correlationIdFrom(req.headers[CORRELATION_HEADER]);
    res.setHeader(CORRELATION_HEADER, correlationId);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const handler = routes[`${req.method} ${path}`] ?? routes[`* ${path}`] ?? routes[`${req.method} ${path.slice(0, path.lastIndexOf('/'))}/*`];
    if (!handler) {
      sendJson(res, 404, { error: 'not found' });
      return;
    }
    withCorrelationId(correlationId, async () => {
      try {
        await handler(req, res);
      } catch (error) {
        if (error instanceof PayloadTooLarge) return sendJson(res, 413, { error: 'payload too large' });
        logger.error({ err: error, path }, 'request failed');
        if (!res.headersSent) sendJson(res, 500, { error: 'internal server error' });
        else res.end();
      }
    });
  });
}

/** Starts listening and resolves with the port actually bound (0 picks a free one). */
export function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Stops accepting connections, lets requests in flight finish, then closes idle keep-alives. */
export function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 5000).unref();
  });
}

/** Runs `stop` once however often it is called; later calls wait for the first. */
export function runOnce(stop: () => Promise<void>): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => (stopping ??= stop());
}
