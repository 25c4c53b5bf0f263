import { readMessages } from '@shop/platform';
import { errorCodes, postGraphQL } from '@shop/platform/testing';
import { startShopTestStack, type ShopTestStack } from './shop-test-stack';

const AUTH = 'accessToken refreshToken expiresIn customer { id email }';
const REGISTER = `mutation ($input: RegisterInput!) { register(input: $input) { ${AUTH} } }`;
const LOGIN = `mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { ${AUTH} } }`;
const REFRESH = `mutation ($token: String!) { refreshToken(refreshToken: $token) { ${AUTH} } }`;
const REQUEST_OTP = 'mutation ($phone: String!) { requestOtp(phone: $phone) { sent retryAfterSeconds } }';
const VERIFY_OTP = `mutation ($phone: String!, $code: String!) { verifyOtp(phone: $phone, code: $code) { ${AUTH} } }`;
const ME = '{ me { id email phone name roles } }';

interface Auth {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  customer: { id: string; email: string | null };
}

/**
 * The sign-in story of the accounts issue, as a client lives it through the one endpoint, with the
 * gateway verifying tokens against the accounts JWKS endpoint (JWT_JWKS_URL).
 */
describe('accounts through the gateway: register, login, me, refresh, reuse, OTP', () => {
  let stack: ShopTestStack;
  beforeAll(async () => {
    stack = await startShopTestStack({ jwksFromAccounts: true });
  });
  afterAll(async () => {
    await stack?.stop();
  });
  const call = <Data>(query: string, variables?: Record<string, unknown>, token?: string) =>
    postGraphQL<Data>(stack.gatewayUrl, query, { variables, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const me = (token: string) => call<{ me: { id: string; email: string | null; phone: string | null; roles: string[] } | null }>(ME, undefined, token);

  test('SEC-1: register -> login -> me -> refresh -> reuse of the old refresh token revokes the family -> OTP sign-in', async () => {
    const email = `story-${Date.now()}@example.com`;
    const password = 'correct horse battery staple';
    const registered = await call<{ register: Auth }>(REGISTER, { input: { email, password, name: 'Story Customer' } });
    expect(errorCodes(registered)).toEqual([]);
    const id = registered.data?.register.customer.id;
    expect((await me(registered.data?.register.accessToken ?? '')).data?.me).toMatchObject({ id, email, roles: ['CUSTOMER'] });

    const login = (await call<{ login: Auth }>(LOGIN, { email, password })).data?.login;
    expect(login?.expiresIn).toBe(900);
    expect((await me(login?.accessToken ?? '')).data?.me?.id).toBe(id);

    const refreshed = (await call<{ refreshToken: Auth }>(REFRESH, { token: login?.refreshToken })).data?.refreshToken;
    expect(refreshed?.customer.id).toBe(id);
    expect((await me(refreshed?.accessToken ?? '')).data?.me?.id).toBe(id);

    const reuse = await call(REFRESH, { token: login?.refreshToken });
    expect(errorCodes(reuse)).toEqual(['INVALID_REFRESH_TOKEN']);
    // The thief's reuse also ended the session the rightful holder had rotated into.
    expect(errorCodes(await call(REFRESH, { token: refreshed?.refreshToken }))).toEqual(['INVALID_REFRESH_TOKEN']);

    const phone = `+49151${String(Date.now() % 1e8).padStart(8, '0')}`;
    expect((await call<{ requestOtp: { sent: boolean } }>(REQUEST_OTP, { phone })).data?.requestOtp.sent).toBe(true);
    const code = /\b(\d{6})\b/.exec((await readMessages(stack.messagesFile, { to: phone })).at(-1)?.body ?? '')?.[1];
    const otp = await call<{ verifyOtp: Auth }>(VERIFY_OTP, { phone, code });
    expect(errorCodes(otp)).toEqual([]);
    expect((await me(otp.data?.verifyOtp.accessToken ?? '')).data?.me).toMatchObject({ id: otp.data?.verifyOtp.customer.id, phone, roles: ['CUSTOMER'] });
  });

  test('SEC-8: the link in the verification email, opened in a browser, confirms the address; a forged one does not', async () => {
    const email = `verify-${Date.now()}@example.com`;
    const registered = await call<{ register: Auth }>(REGISTER, { input: { email, password: 'correct horse battery staple', name: 'V' } });
    const body = (await readMessages(stack.messagesFile, { to: email })).at(-1)?.body ?? '';
    const link = new URL(/(https?:\/\/\S+)/.exec(body)?.[1] ?? 'http://missing');
    const opened = await fetch(`${stack.gatewayOrigin}${link.pathname}${link.search}`);
    expect(opened.status).toBe(200);
    expect(await opened.text()).toContain('confirmed');
    const verified = await call<{ me: { id: string } }>('{ me { id emailVerified } }', undefined, registered.data?.register.accessToken);
    expect(verified.data?.me).toEqual({ id: registered.data?.register.customer.id, emailVerified: true });
    const forged = await fetch(`${stack.gatewayOrigin}/verify-email?token=${link.searchParams.get('token')?.slice(0, -3)}abc`);
    expect(forged.status).toBe(400);
  });
});

// Its own stack, started after the first one stopped: two stacks at once would need more than a
// test PostgreSQL's 100 connections.
describe('accounts through the gateway during a signing key rotation', () => {
  let rotated: ShopTestStack;
  beforeAll(async () => {
    rotated = await startShopTestStack({ jwksFromAccounts: true, rotateSigningKey: true });
  });
  afterAll(async () => {
    await rotated?.stop();
  });

  test('SEC-1: tokens signed by the previous key stay valid while it is still published (key rotation)', async () => {
    const email = `rotation-${Date.now()}@example.com`;
    const registered = await postGraphQL<{ register: Auth }>(rotated.gatewayUrl, REGISTER, { variables: { input: { email, password: 'correct horse battery staple', name: 'R' } } });
    const fresh = registered.data?.register.accessToken ?? '';
    const previous = await rotated.auth.token(registered.data?.register.customer.id ?? '', ['CUSTOMER']);
    expect(JSON.parse(Buffer.from(fresh.split('.')[0] ?? '', 'base64url').toString()).kid).not.toBe(rotated.auth.signingKey.kid);
    for (const token of [fresh, previous]) {
      const answer = await postGraphQL(rotated.gatewayUrl, ME, { headers: { authorization: `Bearer ${token}` } });
      expect(errorCodes(answer)).toEqual([]);
    }
  });
});
