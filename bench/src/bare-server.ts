import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** About 1 KB of product-like JSON, the same for every request. */
function fixedBody(): Buffer {
  const products = Array.from({ length: 7 }, (_, index) => ({
    id: `prod_${String(index).padStart(4, '0')}`,
    name: `Bare product ${index}`,
    variants: [{ id: `var_${index}`, sku: `BARE-${index}`, price: { amount: '19.90', currency: 'EUR' } }],
  }));
  return Buffer.from(JSON.stringify({ data: { products: { edges: products.map((node) => ({ node })) } } }));
}

const body = fixedBody();
const headers = { 'content-type': 'application/json; charset=utf-8', 'content-length': String(body.length) };

/**
 * The baseline: a bare node:http server that reads the request and answers the same ~1 KB JSON
 * body, on a free port of 127.0.0.1, announced as `port=<n>` on stdout.
 */
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, headers);
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`port=${(server.address() as AddressInfo).port} body=${body.length}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
