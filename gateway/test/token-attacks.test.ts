import { importJWK, SignJWT, type JWTPayload } from 'jose';
import { generateSigningKey, publicJwks, type SigningKey } from '@shop/platform';
import { errorCodes, postGraphQL } from '@shop/platform/testing';
import { startShopTestStack, type ShopTestStack } from './shop-test-stack';

const ME = '{ me { id roles } }';
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * SEC-1: forged and misused access tokens, sent to the one public endpoint, with the gateway
 * verifying against the accounts JWKS endpoint. Every one is answered 401 UNAUTHENTICATED, and a
 * control token built the same way but correct is accepted (so each attack fails for its flaw).
 */
describe('token attacks through the gateway', () => {
  let stack: ShopTestStack;
  let key: SigningKey;
  let victimId: string;
  let refreshToken: string;
  const now = () => Math.floor(Date.now() / 1000);
  const claims = (overrides: JWTPayload = {}): JWTPayload => ({
    sub: victimId,
    roles: ['CUSTOMER', 'STAFF'],
    iss: stack.auth.audience.issuer,
    aud: stack.auth.audience.audience,
    iat: now(),
    exp: now() + 600,
    ...overrides,
  });
  const sign = async (payload: JWTPayload, header: Record<string, unknown> = {}, signingKey = key) =>
    new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', kid: signingKey.kid, typ: 'JWT', ...header }).sign(await importJWK(signingKey.privateJwk, 'EdDSA'));

  beforeAll(async () => {
    stack = await startShopTestStack({ jwksFromAccounts: true });
    key = stack.auth.signingKey;
    const email = `victim-${Date.now()}@example.com`;
    const registered = await postGraphQL<{ register: { refreshToken: string; customer: { id: string } } }>(
      stack.gatewayUrl,
      'mutation ($input: RegisterInput!) { register(input: $input) { refreshToken customer { id } } }',
      { variables: { input: { email, password: 'correct horse battery staple', name: 'Victim' } } },
    );
    victimId = registered.data?.register.customer.id ?? '';
    refreshToken = registered.data?.register.refreshToken ?? '';
  });
  afterAll(async () => {
    await stack?.stop();
  });
  const withToken = (token: string) => postGraphQL(stack.gatewayUrl, ME, { headers: { authorization: `Bearer ${token}` } });

  test('SEC-1: the control: a correctly signed token with the same claims is accepted', async () => {
    const answer = await withToken(await sign(claims()));
    expect(errorCodes(answer)).toEqual([]);
    expect(answer.data).toEqual({ me: { id: victimId, roles: ['CUSTOMER'] } });
  });

  const attacks: [string, () => Promise<string>][] = [
    ['alg none', async () => `${base64url({ alg: 'none', kid: key.kid, typ: 'JWT' })}.${base64url(claims())}.`],
    [
      'HS256 signed with the published public key',
      async () => {
        const published = JSON.stringify(publicJwks([key]).keys[0]);
        return new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', kid: key.kid }).sign(new TextEncoder().encode(published));
      },
    ],
    ['expired', () => sign(claims({ iat: now() - 1200, exp: now() - 600 }))],
    ['not yet valid (nbf in the future)', () => sign(claims({ nbf: now() + 600 }))],
    ['another issuer', () => sign(claims({ iss: 'https://evil.example' }))],
    ['another audience', () => sign(claims({ aud: 'some-other-api' }))],
    ['an unknown kid, signed by a key of the attacker', async () => sign(claims(), {}, await generateSigningKey('attacker-key'))],
    ['the right kid, signed by a key of the attacker', async () => sign(claims(), {}, { ...(await generateSigningKey('x')), kid: key.kid })],
    [
      'a tampered payload (sub changed after signing)',
      async () => {
        const [header, , signature] = (await sign(claims())).split('.');
        return `${header}.${base64url(claims({ sub: '00000000-0000-7000-8000-000000000000' }))}.${signature}`;
      },
    ],
    ['a refresh token used as an access token', async () => refreshToken],
  ];

  test.each(attacks)('SEC-1: %s is answered 401 UNAUTHENTICATED', async (_label, forge) => {
    const answer = await withToken(await forge());
    expect(answer.status).toBe(401);
    expect(errorCodes(answer)).toEqual(['UNAUTHENTICATED']);
    expect(answer.text).not.toContain(victimId);
  });
});
