import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MESSAGE_SIGNATURE_HEADER, WebhookMessageSender } from './webhook-message-sender';

const SECRET = 'relay-secret-of-at-least-32-bytes-long';

/** A messaging relay on a free port that records what it receives and answers `status`. */
async function startRelay(status: number) {
  const received: { body: string; signature: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ body, signature: String(req.headers[MESSAGE_SIGNATURE_HEADER]) });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/messages`, received, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe('WebhookMessageSender (production messaging relay)', () => {
  test('SEC-5: posts the message as JSON with a timestamped HMAC the relay can check', async () => {
    const relay = await startRelay(202);
    try {
      await new WebhookMessageSender(relay.url, SECRET).send({ channel: 'sms', to: '+4915112345678', body: 'Your code is 123456' });
      const [request] = relay.received;
      expect(JSON.parse(request?.body ?? '')).toEqual({ channel: 'sms', to: '+4915112345678', subject: null, body: 'Your code is 123456' });
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(request?.signature ?? '') ?? [];
      expect(v1).toBe(createHmac('sha256', SECRET).update(`${t}.${request?.body}`).digest('hex'));
      expect(Math.abs(Number(t) - Date.now() / 1000)).toBeLessThan(5);
    } finally {
      await relay.close();
    }
  });

  test('SEC-5: a relay that refuses makes the send fail, so no code is silently lost', async () => {
    const relay = await startRelay(503);
    try {
      await expect(new WebhookMessageSender(relay.url, SECRET).send({ channel: 'email', to: 'a@example.com', subject: 'Hi', body: 'x' })).rejects.toThrow(/503/);
    } finally {
      await relay.close();
    }
  });
});
