import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ANONYMOUS,
  CLIENT_ADDRESS_HEADER,
  generateSigningKey,
  IDENTITY_HEADER,
  migrateDeploy,
  readMessages,
  signIdentity,
  type Identity,
  type RunningServer,
  type SigningKey,
} from '@shop/platform';
import { createTestDatabase, postGraphQL, type GraphQLAnswer, type TestDatabase } from '@shop/platform/testing';
import { ACCOUNTS_SERVICE_DIR, loadAccountsConfig, startAccounts } from '../src';

/** The gateway-subgraph secret the test server trusts. */
export const SECRET = 'test-gateway-subgraph-secret-of-at-least-32-bytes';
export const AUDIENCE = { issuer: 'shop-accounts', audience: 'shop' };

/** How a test calls accounts: as whom, and from which client address. */
export interface CallOptions {
  readonly variables?: Record<string, unknown>;
  readonly identity?: Identity;
  readonly clientAddress?: string;
}

/** A running accounts subgraph on a fresh database, called the way the gateway calls it. */
export interface TestAccounts {
  readonly server: RunningServer;
  readonly database: TestDatabase;
  readonly signingKey: SigningKey;
  readonly messagesFile: string;
  call<Data = Record<string, unknown>>(query: string, options?: CallOptions): Promise<GraphQLAnswer<Data>>;
  /** Starts a second server on the same database and settings (a replica); stopped with this one. */
  replica(): Promise<<Data = Record<string, unknown>>(query: string, options?: CallOptions) => Promise<GraphQLAnswer<Data>>>;
  /** The last SMS code sent to `phone`. */
  lastCode(phone: string): Promise<string>;
  /** The last email verification link sent to `email`. */
  lastLink(email: string): Promise<string>;
  stop(): Promise<void>;
}

/** Starts accounts on a fresh database; `env` overrides settings (limits, REDIS_URL). */
export async function startTestAccounts(env: Record<string, string> = {}): Promise<TestAccounts> {
  const database = await createTestDatabase('accounts');
  await migrateDeploy({ serviceDir: ACCOUNTS_SERVICE_DIR, databaseUrl: database.url });
  const folder = mkdtempSync(path.join(tmpdir(), 'accounts-test-'));
  const messagesFile = path.join(folder, 'messages.jsonl');
  const signingKey = await generateSigningKey(`accounts-test-${Date.now()}`);
  const settings = {
    ACCOUNTS_DATABASE_URL: database.url,
    ACCOUNTS_PORT: '0',
    GATEWAY_SUBGRAPH_SECRET: SECRET,
    JWT_SIGNING_KEYS: JSON.stringify([signingKey.privateJwk]),
    MESSAGES_FILE: messagesFile,
    LOG_LEVEL: process.env.ACCOUNTS_LOG ?? 'silent',
    ...env,
  };
  const server = await startAccounts(loadAccountsConfig(settings));
  const lastMessage = async (to: string) => {
    const sent = await readMessages(messagesFile, { to });
    const message = sent.at(-1);
    if (!message) throw new Error(`no message was sent to ${to}`);
    return message.body;
  };
  const replicas: RunningServer[] = [];
  return {
    server,
    database,
    signingKey,
    messagesFile,
    call: (query, options = {}) => callAccounts(server, query, options),
    replica: async () => {
      const replica = await startAccounts(loadAccountsConfig(settings));
      replicas.push(replica);
      return (query, options = {}) => callAccounts(replica, query, options);
    },
    lastCode: async (phone) => /\b(\d{6})\b/.exec(await lastMessage(phone))?.[1] ?? '',
    lastLink: async (email) => /(https?:\/\/\S+)/.exec(await lastMessage(email))?.[1] ?? '',
    stop: async () => {
      for (const replica of replicas) await replica.stop();
      await server.stop();
      await database.drop();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

function callAccounts<Data>(server: RunningServer, query: string, options: CallOptions): Promise<GraphQLAnswer<Data>> {
  return postGraphQL(server.url, query, {
    variables: options.variables,
    headers: {
      [IDENTITY_HEADER]: signIdentity(options.identity ?? ANONYMOUS, SECRET),
      [CLIENT_ADDRESS_HEADER]: options.clientAddress ?? '192.0.2.1',
    },
  });
}

/** A signed-in customer as a test holds it. */
export interface SignedIn {
  readonly id: string;
  readonly email: string;
  readonly password: string;
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly identity: Identity;
}

export const AUTH_FIELDS = 'accessToken refreshToken expiresIn customer { id email name roles emailVerified }';

let registered = 0;
/** Registers a new customer with a unique email. */
export async function registerCustomer(accounts: TestAccounts, name = 'Test Customer'): Promise<SignedIn> {
  registered += 1;
  const email = `customer-${registered}-${Date.now()}@example.com`;
  const password = 'correct horse battery staple';
  const answer = await accounts.call<{ register: { accessToken: string; refreshToken: string; customer: { id: string } } }>(
    `mutation ($input: RegisterInput!) { register(input: $input) { ${AUTH_FIELDS} } }`,
    { variables: { input: { email, password, name } }, clientAddress: `198.51.100.${registered % 250}` },
  );
  const payload = answer.data?.register;
  if (!payload) throw new Error(`register failed: ${answer.text}`);
  const id = payload.customer.id;
  return { id, email, password, accessToken: payload.accessToken, refreshToken: payload.refreshToken, identity: { userId: id, roles: ['CUSTOMER'] } };
}
