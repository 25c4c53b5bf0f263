import { accessTokenKeys, verifyAccessToken } from '@shop/platform';
import { errorCodes } from '@shop/platform/testing';
import pg from 'pg';
import { AUDIENCE, AUTH_FIELDS, registerCustomer, startTestAccounts, type TestAccounts } from './accounts-test-server';

interface Auth {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  customer: { id: string; email: string | null; roles: string[] };
}

const REGISTER = `mutation ($input: RegisterInput!) { register(input: $input) { ${AUTH_FIELDS} } }`;
const LOGIN = `mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { ${AUTH_FIELDS} } }`;
const REFRESH = `mutation ($token: String!) { refreshToken(refreshToken: $token) { ${AUTH_FIELDS} } }`;
const LOGOUT = `mutation ($token: String!) { logout(refreshToken: $token) }`;

describe('accounts: registration, login and sessions', () => {
  let accounts: TestAccounts;
  let db: pg.Pool;
  beforeAll(async () => {
    accounts = await startTestAccounts({ LOGIN_ATTEMPTS_PER_CLIENT: '1000' });
    db = new pg.Pool({ connectionString: accounts.database.url, max: 2 });
  });
  afterAll(async () => {
    await db.end();
    await accounts.stop();
  });
  const accountCount = async () => Number((await db.query<{ n: string }>('SELECT count(*) n FROM account')).rows[0]?.n);
  const login = (email: string, password: string, clientAddress = '203.0.113.7') =>
    accounts.call<{ login: Auth }>(LOGIN, { variables: { email, password }, clientAddress });
  const refresh = (token: string) => accounts.call<{ refreshToken: Auth }>(REFRESH, { variables: { token } });

  test('SEC-1: register signs the customer in with a 15-minute EdDSA token that verifies against the JWKS endpoint', async () => {
    const answer = await accounts.call<{ register: Auth }>(REGISTER, {
      variables: { input: { email: '  Ada@Example.COM ', password: 'analytical engine 1843', name: 'Ada' } },
    });
    const payload = answer.data?.register;
    expect(payload?.customer).toMatchObject({ email: 'ada@example.com', roles: ['CUSTOMER'] });
    expect(payload?.expiresIn).toBe(900);
    const jwks = (await (await fetch(new URL('/.well-known/jwks.json', accounts.server.url))).json()) as { keys: { d?: string; kid: string }[] };
    expect(jwks.keys.map((key) => key.kid)).toEqual([accounts.signingKey.kid]);
    expect(jwks.keys.every((key) => key.d === undefined)).toBe(true);
    const identity = await verifyAccessToken(payload?.accessToken ?? '', accessTokenKeys({ jwks: jwks as never }), AUDIENCE);
    expect(identity).toEqual({ userId: payload?.customer.id, roles: ['CUSTOMER'] });
  });

  test.each([
    ['a short password', { email: 'short@example.com', password: 'abc12', name: 'S' }, 'input.password'],
    ['a common password', { email: 'common@example.com', password: 'Password1234', name: 'C' }, 'input.password'],
    ['an invalid email', { email: 'not-an-email', password: 'a perfectly fine pass', name: 'E' }, 'input.email'],
    ['an empty name', { email: 'noname@example.com', password: 'a perfectly fine pass', name: '  ' }, 'input.name'],
  ])('SEC-8: register with %s is refused with BAD_USER_INPUT naming the field, and creates nothing', async (_label, input, field) => {
    const before = await accountCount();
    const answer = await accounts.call(REGISTER, { variables: { input } });
    expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.errors?.[0]?.extensions?.field).toBe(field);
    expect(await accountCount()).toBe(before);
  });

  test('SEC-1: an email registers once; the second attempt is EMAIL_TAKEN', async () => {
    const customer = await registerCustomer(accounts);
    const answer = await accounts.call(REGISTER, { variables: { input: { email: customer.email.toUpperCase(), password: 'another good password', name: 'X' } } });
    expect(errorCodes(answer)).toEqual(['EMAIL_TAKEN']);
  });

  test('SEC-1: passwords are stored as argon2id with at least the OWASP minimum cost', async () => {
    const customer = await registerCustomer(accounts);
    const { rows } = await db.query<{ password_hash: string }>('SELECT password_hash FROM account WHERE id = $1', [customer.id]);
    expect(rows[0]?.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  test('SEC-2: an unknown email and a wrong password get the same answer, in similar time', async () => {
    const customer = await registerCustomer(accounts);
    const wrong = await login(customer.email, 'not the password at all');
    const unknown = await login(`nobody-${Date.now()}@example.com`, 'not the password at all');
    const shape = (answer: typeof wrong) => ({ data: answer.data, errors: answer.errors?.map(({ message, extensions }) => ({ message, extensions })) });
    expect(shape(unknown)).toEqual(shape(wrong));
    expect(errorCodes(wrong)).toEqual(['INVALID_CREDENTIALS']);
    // Both pay for one argon2 verification; without the decoy an unknown email answers ~50x faster.
    const median = async (email: string) => {
      const times: number[] = [];
      for (let i = 0; i < 5; i += 1) {
        const started = performance.now();
        await login(email, 'still not the password', `203.0.113.${100 + i}`);
        times.push(performance.now() - started);
      }
      return times.sort((a, b) => a - b)[2] ?? 0;
    };
    const other = await registerCustomer(accounts);
    const [wrongTime, unknownTime] = [await median(other.email), await median(`ghost-${Date.now()}@example.com`)];
    expect(unknownTime).toBeGreaterThan(wrongTime * 0.4);
  });

  test('SEC-2: five failed logins lock the account for 15 minutes, even for the right password; a success resets the count', async () => {
    const customer = await registerCustomer(accounts);
    for (let i = 0; i < 4; i += 1) expect(errorCodes(await login(customer.email, 'wrong password number x'))).toEqual(['INVALID_CREDENTIALS']);
    expect(errorCodes(await login(customer.email, customer.password))).toEqual([]);
    for (let i = 0; i < 5; i += 1) expect(errorCodes(await login(customer.email, 'wrong password number y'))).toEqual(['INVALID_CREDENTIALS']);
    const locked = await login(customer.email, customer.password);
    expect(errorCodes(locked)).toEqual(['RATE_LIMITED']);
    expect(locked.errors?.[0]?.extensions?.retryAfter).toBeGreaterThan(800);
  });

  test('SEC-7: logins from one client address are throttled', async () => {
    const throttled = await startTestAccounts({ LOGIN_ATTEMPTS_PER_CLIENT: '3' });
    try {
      const customer = await registerCustomer(throttled);
      const from = (address: string) => throttled.call(LOGIN, { variables: { email: customer.email, password: customer.password }, clientAddress: address });
      for (let i = 0; i < 3; i += 1) expect(errorCodes(await from('203.0.113.50'))).toEqual([]);
      expect(errorCodes(await from('203.0.113.50'))).toEqual(['RATE_LIMITED']);
      expect(errorCodes(await from('203.0.113.51'))).toEqual([]);
    } finally {
      await throttled.stop();
    }
  });

  test('SEC-1: a refresh token works once: it returns a new pair, and the old one is refused', async () => {
    const customer = await registerCustomer(accounts);
    const first = await refresh(customer.refreshToken);
    const renewed = first.data?.refreshToken;
    expect(renewed?.refreshToken).toBeDefined();
    expect(renewed?.refreshToken).not.toBe(customer.refreshToken);
    expect(renewed?.customer.id).toBe(customer.id);
    expect(errorCodes(await refresh(renewed?.refreshToken ?? ''))).toEqual([]);
  });

  test('SEC-1: reusing a spent refresh token revokes its whole family (RFC 9700), other sessions survive', async () => {
    const customer = await registerCustomer(accounts);
    const otherSession = (await login(customer.email, customer.password)).data?.login.refreshToken ?? '';
    const rotated = (await refresh(customer.refreshToken)).data?.refreshToken.refreshToken ?? '';
    expect(errorCodes(await refresh(customer.refreshToken))).toEqual(['INVALID_REFRESH_TOKEN']);
    expect(errorCodes(await refresh(rotated))).toEqual(['INVALID_REFRESH_TOKEN']);
    expect(errorCodes(await refresh(otherSession))).toEqual([]);
  });

  test('SEC-1: two concurrent refreshes with one token: exactly one succeeds', async () => {
    const customer = await registerCustomer(accounts);
    const answers = await Promise.all([refresh(customer.refreshToken), refresh(customer.refreshToken), refresh(customer.refreshToken)]);
    expect(answers.filter((answer) => answer.data?.refreshToken).length).toBe(1);
  });

  test('SEC-1: refresh tokens are stored only as hashes', async () => {
    const customer = await registerCustomer(accounts);
    const { rows } = await db.query<{ token_hash: string }>('SELECT token_hash FROM refresh_token WHERE account_id = $1', [customer.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(customer.refreshToken);
  });

  test('SEC-1: logout ends the session: its refresh token no longer works', async () => {
    const customer = await registerCustomer(accounts);
    expect((await accounts.call(LOGOUT, { variables: { token: customer.refreshToken } })).data).toEqual({ logout: true });
    expect(errorCodes(await refresh(customer.refreshToken))).toEqual(['INVALID_REFRESH_TOKEN']);
    expect(errorCodes(await refresh('made-up-token'))).toEqual(['INVALID_REFRESH_TOKEN']);
  });

  test('SEC-1: a refresh token is not an access token', async () => {
    const customer = await registerCustomer(accounts);
    const keys = accessTokenKeys({ jwks: { keys: [] } });
    await expect(verifyAccessToken(customer.refreshToken, keys, AUDIENCE)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
