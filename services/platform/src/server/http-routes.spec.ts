import type { AddressInfo } from 'node:net';
import { closeServer, createHttpServer, listen, sendJson } from './http';

describe('route table wildcards', () => {
  test('PLAT-1: "GET /prefix/*" answers for one last path segment only; exact routes win', async () => {
    const server = createHttpServer({
      'GET /pay/sandbox/*': (req, res) => sendJson(res, 200, { wildcard: req.url }),
      'GET /pay/sandbox/exact': (_req, res) => sendJson(res, 200, { exact: true }),
    });
    await listen(server, 0, '127.0.0.1');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect(await (await fetch(`${base}/pay/sandbox/abc?x=1`)).json()).toEqual({ wildcard: '/pay/sandbox/abc?x=1' });
      expect(await (await fetch(`${base}/pay/sandbox/exact`)).json()).toEqual({ exact: true });
      expect((await fetch(`${base}/pay/sandbox/abc/def`)).status).toBe(404);
      expect((await fetch(`${base}/pay/sandbox`)).status).toBe(404);
      expect((await fetch(`${base}/pay/sandbox/abc`, { method: 'POST' })).status).toBe(404);
    } finally {
      await closeServer(server);
    }
  });
});
