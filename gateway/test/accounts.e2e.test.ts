import { readMessages } from '@shop/platform';
import { createTestAuth, errorCodes, postGraphQL } from '@shop/platform/testing';
import { startShopTestStack, type ShopTestStack } from './shop-test-stack';

const AUTH = 'accessToken refreshToken customer { id email }';
const REGISTER = `mutation ($input: RegisterInput!) { register(input: $input) { ${AUTH} } }`;
const LOGIN = `mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { ${AUTH} } }`;
const ME = '{ me { id email name roles } }';

interface Auth {
  accessToken: string;
  refreshToken: string;
  customer: { id: string; email: string | null };
}

describe('accounts through the gateway, keys fetched from the accounts JWKS endpoint', () => {
  let stack: ShopTestStack;
  beforeAll(async () => {
    stack = await startShopTestStack({ jwksFromAccounts: true });
  });
  afterAll(async () => {
    await stack?.stop();
  });
  const me = (token: string) => postGraphQL<{ me: { id: string; email: string; roles: string[] } | null }>(stack.gatewayUrl, ME, { headers: { authorization: `Bearer ${token}` } });

  test('SEC-1: register, login and me: the gateway accepts the tokens accounts issues', async () => {
    const email = `gateway-${Date.now()}@example.com`;
    const password = 'correct horse battery staple';
    const registered = await postGraphQL<{ register: Auth }>(stack.gatewayUrl, REGISTER, { variables: { input: { email, password, name: 'Gateway Customer' } } });
    expect(registered.errors).toBeUndefined();
    const id = registered.data?.register.customer.id;
    expect((await me(registered.data?.register.accessToken ?? '')).data?.me).toMatchObject({ id, email, roles: ['CUSTOMER'] });

    const loggedIn = await postGraphQL<{ login: Auth }>(stack.gatewayUrl, LOGIN, { variables: { email, password } });
    expect(loggedIn.errors).toBeUndefined();
    expect((await me(loggedIn.data?.login.accessToken ?? '')).data?.me).toMatchObject({ id, email });
  });

  test('SEC-1: tokens from the test helper verify against the same JWKS; a stranger key is refused', async () => {
    const answer = await me(await stack.auth.token('nobody-yet', ['CUSTOMER']));
    expect(answer.status).toBe(200);
    expect(errorCodes(answer)).toEqual([]);
    const stranger = await createTestAuth();
    const refused = await me(await stranger.token('x', ['STAFF']));
    expect(refused.status).toBe(401);
    expect(errorCodes(refused)).toEqual(['UNAUTHENTICATED']);
  });

  test('SEC-8: a one-time code lands in MESSAGES_FILE and signs the phone owner in through the gateway', async () => {
    const phone = `+49151${String(Date.now() % 1e8).padStart(8, '0')}`;
    const requested = await postGraphQL<{ requestOtp: { sent: boolean } }>(stack.gatewayUrl, 'mutation ($phone: String!) { requestOtp(phone: $phone) { sent retryAfterSeconds } }', {
      variables: { phone },
    });
    expect(requested.data?.requestOtp.sent).toBe(true);
    const code = /\b(\d{6})\b/.exec((await readMessages(stack.messagesFile, { to: phone })).at(-1)?.body ?? '')?.[1];
    expect(code).toBeDefined();
    const verified = await postGraphQL<{ verifyOtp: Auth }>(stack.gatewayUrl, `mutation ($phone: String!, $code: String!) { verifyOtp(phone: $phone, code: $code) { ${AUTH} } }`, {
      variables: { phone, code },
    });
    expect(verified.errors).toBeUndefined();
    expect((await me(verified.data?.verifyOtp.accessToken ?? '')).data?.me?.id).toBe(verified.data?.verifyOtp.customer.id);
  });
});
