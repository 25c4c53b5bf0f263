import { appendFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMessageSender, readMessages, SandboxMessageSender, WebhookMessageSender } from './index';

describe('SandboxMessageSender', () => {
  let dir: string;
  let file: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'messages-'));
    file = join(dir, 'nested', 'messages.jsonl');
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('CONTRACT sandbox messages: one JSON line per message with exactly channel, to, subject, body, at', async () => {
    const sender = new SandboxMessageSender(file);
    await sender.send({ channel: 'sms', to: '+33600000001', body: 'Your code is 123456' });
    await sender.send({ channel: 'email', to: 'ada@example.com', subject: 'Verify your email', body: 'https://localhost/verify?t=abc' });

    const messages = await readMessages(file);
    expect(messages).toEqual([
      { channel: 'sms', to: '+33600000001', subject: null, body: 'Your code is 123456', at: expect.any(String) },
      { channel: 'email', to: 'ada@example.com', subject: 'Verify your email', body: 'https://localhost/verify?t=abc', at: expect.any(String) },
    ]);
    for (const message of messages) {
      expect(Object.keys(message).sort()).toEqual(['at', 'body', 'channel', 'subject', 'to']);
      expect(new Date(message.at).toISOString()).toBe(message.at);
    }
  });

  test('CONTRACT sandbox messages: 200 concurrent sends give 200 intact lines', async () => {
    const sender = new SandboxMessageSender(file);
    const bodies = Array.from({ length: 200 }, (_, i) => `code ${i} ${'x'.repeat(i * 50)}`);
    await Promise.all(bodies.map((body, i) => sender.send({ channel: 'sms', to: `+336000${String(i).padStart(5, '0')}`, body })));

    const messages = await readMessages(file);
    expect(messages).toHaveLength(200);
    expect(messages.map((m) => m.body).sort()).toEqual([...bodies].sort());
  });

  test('SEC-5: the file holding codes is 0600 in a 0700 directory', async () => {
    await new SandboxMessageSender(file).send({ channel: 'sms', to: '+33600000001', body: 'Your code is 123456' });

    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'nested'))).mode & 0o777).toBe(0o700);
  });
});

describe('readMessages', () => {
  let dir: string;
  let file: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'messages-'));
    file = join(dir, 'messages.jsonl');
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('CONTRACT sandbox messages: filters by recipient and channel', async () => {
    const sender = new SandboxMessageSender(file);
    await sender.send({ channel: 'sms', to: '+33600000001', body: 'sms to 1' });
    await sender.send({ channel: 'email', to: 'ada@example.com', subject: 's', body: 'email to ada' });
    await sender.send({ channel: 'sms', to: '+33600000002', body: 'sms to 2' });

    expect((await readMessages(file, { to: '+33600000002' })).map((m) => m.body)).toEqual(['sms to 2']);
    expect((await readMessages(file, { channel: 'sms' })).map((m) => m.body)).toEqual(['sms to 1', 'sms to 2']);
    expect((await readMessages(file, { channel: 'email', to: '+33600000001' })).map((m) => m.body)).toEqual([]);
  });

  test('CONTRACT sandbox messages: a torn last line (write in progress) is ignored', async () => {
    await new SandboxMessageSender(file).send({ channel: 'sms', to: '+33600000001', body: 'whole' });
    await appendFile(file, '{"channel":"sms","to":"+336000');

    expect((await readMessages(file)).map((m) => m.body)).toEqual(['whole']);
  });

  test('CONTRACT sandbox messages: a file not yet written reads as no messages', async () => {
    expect(await readMessages(join(dir, 'absent.jsonl'))).toEqual([]);
  });
});

describe('createMessageSender', () => {
  test('SEC-5: production refuses the sandbox, since production providers never write codes anywhere', () => {
    expect(() => createMessageSender({ production: true, messagesFile: '/tmp/messages.jsonl' })).toThrow(/production/);
    expect(() => createMessageSender({ production: true })).toThrow(/MESSAGE_WEBHOOK_URL/);
  });

  test('SEC-5: with a messaging relay configured, production (and development) send through it', () => {
    const webhook = { url: 'https://relay.example/messages', secret: 'relay-secret-of-at-least-32-bytes!!' };
    expect(createMessageSender({ production: true, webhook })).toBeInstanceOf(WebhookMessageSender);
    expect(createMessageSender({ production: false, messagesFile: '/tmp/m.jsonl', webhook })).toBeInstanceOf(WebhookMessageSender);
  });

  test('CONTRACT sandbox messages: outside production the sandbox writes to MESSAGES_FILE, which is required', () => {
    expect(createMessageSender({ production: false, messagesFile: '/tmp/messages.jsonl' })).toBeInstanceOf(SandboxMessageSender);
    expect(() => createMessageSender({ production: false })).toThrow(/MESSAGES_FILE/);
  });
});
