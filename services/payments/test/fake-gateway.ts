import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local HTTP fake of the redirect gateway's three endpoints, with switchable failure modes. */
export interface FakeGateway {
  readonly url: string;
  /** Requests received per path. */
  readonly calls: Map<string, number>;
  /** 'ok', answer 503, or never answer. */
  mode: 'ok' | 'unavailable' | 'hang';
  /** What inquiry answers per track id. */
  readonly outcomes: Map<string, 'paid' | 'failed' | 'pending'>;
  readonly amounts: Map<string, string>;
  close(): Promise<void>;
}

export async function startFakeGateway(): Promise<FakeGateway> {
  let counter = 0;
  const fake: Omit<FakeGateway, 'url' | 'close'> = { calls: new Map(), mode: 'ok', outcomes: new Map(), amounts: new Map() };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      fake.calls.set(path, (fake.calls.get(path) ?? 0) + 1);
      if (fake.mode === 'hang') return;
      if (fake.mode === 'unavailable') return void res.writeHead(503).end();
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { trackId?: string; amount?: string };
      let answer: object = {};
      if (path === '/v1/request') {
        counter += 1;
        const trackId = `trk_${counter}`;
        fake.amounts.set(trackId, body.amount ?? '0');
        answer = { trackId };
      } else if (path === '/v1/inquiry') {
        answer = { status: fake.outcomes.get(body.trackId ?? '') ?? 'pending', amount: fake.amounts.get(body.trackId ?? '') ?? '0' };
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(fake as FakeGateway, {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
