import { createHash, createHmac, randomBytes } from 'node:crypto';
import { importJWK, SignJWT } from 'jose';
import { BusinessError } from '../errors/business-error';
import { accessTokenKeys, generateSigningKey, mintAccessToken, publicJwks, verifyAccessToken, type SigningKey } from './access-token';
import { ANONYMOUS, type Identity } from './identity';
import { IdentitySigner, IdentityVerifier, signIdentity, verifyIdentity } from './subgraph-identity';

const SECRET = randomBytes(32).toString('hex');
const OTHER_SECRET = randomBytes(32).toString('hex');
/** A whole second, so expiry arithmetic in seconds is exact. */
const T0 = 1_800_000_000_000;
const customer: Identity = { userId: 'user-1', roles: ['CUSTOMER'] };
const marketPartner: Identity = { userId: null, roles: [], partnerMarketId: 'market-a' };

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('subgraph identity (gateway-signed header)', () => {
  test('SEC-3: a signed identity verifies back to the same caller', () => {
    const staff: Identity = { userId: 'staff-1', roles: ['STAFF', 'CUSTOMER'] };
    expect(verifyIdentity(signIdentity(staff, SECRET, T0), SECRET, T0)).toEqual(staff);
    expect(verifyIdentity(signIdentity(ANONYMOUS, SECRET, T0), SECRET, T0)).toEqual(ANONYMOUS);
  });

  test('SEC-3: a body changed after signing (roles raised to STAFF) is refused', () => {
    const [body, signature] = signIdentity(customer, SECRET, T0).split('.');
    const claims = JSON.parse(Buffer.from(body ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = base64url({ ...claims, roles: ['STAFF'] });
    expect(verifyIdentity(`${forged}.${signature}`, SECRET, T0)).toBeNull();
    const otherUser = base64url({ ...claims, sub: 'user-2' });
    expect(verifyIdentity(`${otherUser}.${signature}`, SECRET, T0)).toBeNull();
  });

  test('SEC-3: a changed signature is refused', () => {
    const [body, signature] = signIdentity(customer, SECRET, T0).split('.');
    const bytes = Buffer.from(signature ?? '', 'base64url');
    for (const index of [0, bytes.length - 1]) {
      const flipped = Buffer.from(bytes);
      flipped[index] = (flipped[index] ?? 0) ^ 0x01;
      expect(verifyIdentity(`${body}.${flipped.toString('base64url')}`, SECRET, T0)).toBeNull();
    }
    expect(verifyIdentity(`${body}.${bytes.subarray(0, 16).toString('base64url')}`, SECRET, T0)).toBeNull();
  });

  test('SEC-3: an identity signed with another secret is refused', () => {
    expect(verifyIdentity(signIdentity(customer, OTHER_SECRET, T0), SECRET, T0)).toBeNull();
  });

  test('SEC-3: an identity is valid for its 60 s lifetime and refused after', () => {
    const token = signIdentity(customer, SECRET, T0);
    expect(verifyIdentity(token, SECRET, T0 + 59_000)).toEqual(customer);
    expect(verifyIdentity(token, SECRET, T0 + 60_000)).toEqual(customer);
    expect(verifyIdentity(token, SECRET, T0 + 60_001)).toBeNull();
    expect(verifyIdentity(token, SECRET, T0 + 3_600_000)).toBeNull();
  });

  test('SEC-3: a correctly signed body that is not a valid identity is refused', () => {
    const sign = (body: string) => `${body}.${createHmac('sha256', SECRET).update(body).digest('base64url')}`;
    const exp = T0 / 1000 + 60;
    expect(verifyIdentity(sign(base64url({ sub: 'u', roles: ['ADMIN'], exp })), SECRET, T0)).toBeNull();
    expect(verifyIdentity(sign(base64url({ sub: 'u', roles: ['CUSTOMER'] })), SECRET, T0)).toBeNull();
    expect(verifyIdentity(sign(base64url({ sub: 42, roles: [], exp })), SECRET, T0)).toBeNull();
  });

  test.each([
    ['missing', undefined],
    ['empty', ''],
    ['one part', 'abc'],
    ['a dot only', '.'],
    ['empty signature', 'eyJzdWIiOm51bGx9.'],
    ['three parts', 'a.b.c'],
    ['non-base64 garbage', '!!!.???'],
    ['a JWT-looking string', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.'],
    ['the SHA-256 of the body instead of an HMAC', `${base64url({ sub: 'x', roles: ['STAFF'], exp: 9e9 })}.${createHash('sha256').update(base64url({ sub: 'x', roles: ['STAFF'], exp: 9e9 })).digest('base64url')}`],
  ])('SEC-3: %s is refused (null, no throw)', (_label, token) => {
    expect(verifyIdentity(token, SECRET, T0)).toBeNull();
  });

  test('SEC-3: a market partner\'s claim (issue 9) is signed and verifies back; a normal identity carries none', () => {
    expect(verifyIdentity(signIdentity(marketPartner, SECRET, T0), SECRET, T0)).toEqual(marketPartner);
    expect(verifyIdentity(signIdentity(customer, SECRET, T0), SECRET, T0)).not.toHaveProperty('partnerMarketId');
    expect(verifyIdentity(signIdentity(ANONYMOUS, SECRET, T0), SECRET, T0)).not.toHaveProperty('partnerMarketId');
  });

  test('SEC-3: a market claim added, moved to another market or removed after signing is refused', () => {
    const [partnerBody, partnerSignature] = signIdentity(marketPartner, SECRET, T0).split('.');
    const partnerClaims = JSON.parse(Buffer.from(partnerBody ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    const [guestBody, guestSignature] = signIdentity(ANONYMOUS, SECRET, T0).split('.');
    const guestClaims = JSON.parse(Buffer.from(guestBody ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    const { partnerMarketId: _dropped, ...withoutClaim } = partnerClaims;
    expect(verifyIdentity(`${base64url({ ...guestClaims, partnerMarketId: 'market-a' })}.${guestSignature}`, SECRET, T0)).toBeNull();
    expect(verifyIdentity(`${base64url({ ...partnerClaims, partnerMarketId: 'market-b' })}.${partnerSignature}`, SECRET, T0)).toBeNull();
    expect(verifyIdentity(`${base64url(withoutClaim)}.${partnerSignature}`, SECRET, T0)).toBeNull();
  });

  test('SEC-3: a correctly signed market claim beside a user or a role is refused (a partner is nobody)', () => {
    expect(verifyIdentity(signIdentity({ ...customer, partnerMarketId: 'market-a' }, SECRET, T0), SECRET, T0)).toBeNull();
    expect(verifyIdentity(signIdentity({ userId: null, roles: ['STAFF'], partnerMarketId: 'market-a' }, SECRET, T0), SECRET, T0)).toBeNull();
    expect(verifyIdentity(signIdentity({ userId: null, roles: [], partnerMarketId: '' }, SECRET, T0), SECRET, T0)).toBeNull();
  });

  test('SEC-3: a token signed before the market claim existed (no field at all) still verifies', () => {
    const sign = (body: string) => `${body}.${createHmac('sha256', SECRET).update(body).digest('base64url')}`;
    const exp = T0 / 1000 + 60;
    expect(verifyIdentity(sign(base64url({ sub: 'user-1', roles: ['CUSTOMER'], exp })), SECRET, T0)).toEqual(customer);
    expect(verifyIdentity(sign(base64url({ sub: null, roles: [], exp })), SECRET, T0)).toBe(ANONYMOUS);
  });

  test('SEC-3: IdentitySigner reuses a signature for half its lifetime and renews it after', () => {
    const signer = new IdentitySigner(SECRET);
    const first = signer.sign(customer, T0);
    expect(signer.sign(customer, T0 + 1_000)).toBe(first);
    expect(signer.sign(customer, T0 + 29_999)).toBe(first);
    const renewed = signer.sign(customer, T0 + 30_000);
    expect(renewed).not.toBe(first);
    expect(verifyIdentity(renewed, SECRET, T0 + 30_000 + 59_000)).toEqual(customer);
    // A reused signature always has at least half its lifetime left when sent.
    expect(verifyIdentity(first, SECRET, T0 + 29_999 + 30_000)).toEqual(customer);
  });

  test('SEC-3: IdentitySigner never hands one caller another caller\'s signature', () => {
    const signer = new IdentitySigner(SECRET);
    const staff: Identity = { userId: 'user-1', roles: ['CUSTOMER', 'STAFF'] };
    expect(verifyIdentity(signer.sign(customer, T0), SECRET, T0)).toEqual(customer);
    expect(verifyIdentity(signer.sign(staff, T0), SECRET, T0)).toEqual(staff);
    expect(verifyIdentity(signer.sign({ userId: 'user-2', roles: ['CUSTOMER'] }, T0), SECRET, T0)?.userId).toBe('user-2');
    expect(verifyIdentity(signer.sign(ANONYMOUS, T0), SECRET, T0)).toEqual(ANONYMOUS);
  });

  test('SEC-3: IdentityVerifier remembers a verified token only until its expiry', () => {
    const verifier = new IdentityVerifier(SECRET);
    const token = signIdentity(customer, SECRET, T0);
    expect(verifier.verify(token, T0)).toEqual(customer);
    expect(verifier.verify(token, T0 + 60_000)).toEqual(customer);
    expect(verifier.verify(token, T0 + 60_001)).toBeNull();
    expect(verifier.verify(token, T0)).toEqual(customer);
  });

  test('SEC-3: IdentityVerifier refuses forged tokens every time, also after a genuine one was remembered', () => {
    const verifier = new IdentityVerifier(SECRET);
    const token = signIdentity(customer, SECRET, T0);
    const [body = '', signature = ''] = token.split('.');
    const staffBody = base64url({ sub: 'user-1', roles: ['STAFF'], exp: T0 / 1000 + 60 });
    expect(verifier.verify(token, T0)).toEqual(customer);
    expect(verifier.verify(`${staffBody}.${signature}`, T0)).toBeNull();
    expect(verifier.verify(`${body}.${signature}x`, T0)).toBeNull();
    expect(verifier.verify(signIdentity(customer, OTHER_SECRET, T0), T0)).toBeNull();
    expect(verifier.verify(undefined, T0)).toBeNull();
  });

  test('SEC-3: IdentitySigner keeps a market partner\'s signature apart from a guest\'s and another market\'s', () => {
    const signer = new IdentitySigner(SECRET);
    expect(verifyIdentity(signer.sign(marketPartner, T0), SECRET, T0)).toEqual(marketPartner);
    expect(verifyIdentity(signer.sign(ANONYMOUS, T0), SECRET, T0)).toEqual(ANONYMOUS);
    expect(verifyIdentity(signer.sign({ ...marketPartner, partnerMarketId: 'market-b' }, T0), SECRET, T0)?.partnerMarketId).toBe('market-b');
    expect(verifyIdentity(signer.sign(marketPartner, T0), SECRET, T0)).toEqual(marketPartner);
  });
});

describe('access tokens (EdDSA JWT)', () => {
  const audience = { issuer: 'https://accounts.shop.test', audience: 'shop-gateway' };
  const signedIn = { userId: 'user-1', roles: ['CUSTOMER'] } as const;
  let key: SigningKey;
  let keys: ReturnType<typeof accessTokenKeys>;

  beforeAll(async () => {
    key = await generateSigningKey('key-1');
    keys = accessTokenKeys({ jwks: publicJwks([key]) });
  });

  /** Asserts that verifying `token` is refused with UNAUTHENTICATED. */
  async function expectRefused(token: string, expected = audience): Promise<void> {
    const outcome = await verifyAccessToken(token, keys, expected).then(
      (identity) => ({ accepted: identity }),
      (error: unknown) => ({ refused: error }),
    );
    expect(outcome).not.toHaveProperty('accepted');
    const error = (outcome as { refused: unknown }).refused;
    expect(error).toBeInstanceOf(BusinessError);
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED', retryable: false });
  }

  /** A token with any header and claims, signed with `key`'s Ed25519 private key. */
  async function signedWith(signingKey: SigningKey, header: Record<string, unknown>, claims: Record<string, unknown>): Promise<string> {
    const privateKey = await importJWK(signingKey.privateJwk, 'EdDSA');
    return new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', ...header }).sign(privateKey);
  }

  function validClaims(): Record<string, unknown> {
    const now = Math.floor(Date.now() / 1000);
    return { sub: 'user-1', roles: ['CUSTOMER'], iss: audience.issuer, aud: audience.audience, iat: now, exp: now + 600 };
  }

  test('SEC-1: a minted token verifies to its user and roles', async () => {
    const token = await mintAccessToken(key, { userId: 'user-1', roles: ['CUSTOMER', 'SELLER'] }, audience);
    await expect(verifyAccessToken(token, keys, audience)).resolves.toEqual({ userId: 'user-1', roles: ['CUSTOMER', 'SELLER'] });
    // The control for the manual builder used below: with nothing wrong it is accepted.
    await expect(verifyAccessToken(await signedWith(key, { kid: 'key-1' }, validClaims()), keys, audience)).resolves.toEqual({
      userId: 'user-1',
      roles: ['CUSTOMER'],
    });
  });

  test('SEC-1: a token for another issuer or another audience is refused', async () => {
    const token = await mintAccessToken(key, signedIn, audience);
    await expectRefused(token, { ...audience, issuer: 'https://evil.test' });
    await expectRefused(token, { ...audience, audience: 'another-api' });
    await expectRefused(await mintAccessToken(key, signedIn, { ...audience, issuer: 'https://evil.test' }));
    await expectRefused(await mintAccessToken(key, signedIn, { ...audience, audience: 'another-api' }));
  });

  test('SEC-1: an expired token is refused', async () => {
    const past = Math.floor(Date.now() / 1000) - 120;
    await expectRefused(await signedWith(key, { kid: 'key-1' }, { ...validClaims(), iat: past - 60, exp: past }));
  });

  test('SEC-1: a short-lived token (2 s) is accepted at once and refused once its lifetime has passed', async () => {
    const token = await mintAccessToken(key, signedIn, audience, '2s');
    await expect(verifyAccessToken(token, keys, audience)).resolves.toEqual(signedIn);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    await expectRefused(token);
  });

  test('SEC-1: a token without exp, without sub, or with an unknown role is refused', async () => {
    const { exp: _exp, ...noExp } = validClaims();
    const { sub: _sub, ...noSub } = validClaims();
    await expectRefused(await signedWith(key, { kid: 'key-1' }, noExp));
    await expectRefused(await signedWith(key, { kid: 'key-1' }, noSub));
    await expectRefused(await signedWith(key, { kid: 'key-1' }, { ...validClaims(), roles: ['ADMIN'] }));
  });

  test('SEC-1: a token signed by another key is refused, under the known kid or another one', async () => {
    const intruder = await generateSigningKey('key-1');
    await expectRefused(await mintAccessToken(intruder, signedIn, audience));
    const unknown = await generateSigningKey('key-2');
    await expectRefused(await mintAccessToken(unknown, signedIn, audience));
  });

  test('SEC-1: a token without a kid is refused even when its signature is right', async () => {
    await expectRefused(await signedWith(key, {}, validClaims()));
  });

  test('SEC-1: an HS256 token is refused (no algorithm but EdDSA), also when the public key is its secret', async () => {
    const claims = { ...validClaims(), roles: ['STAFF'] };
    await expectRefused(await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: 'key-1' }).sign(randomBytes(32)));
    const publicKeyAsSecret = new TextEncoder().encode(JSON.stringify(publicJwks([key]).keys[0]));
    await expectRefused(await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: 'key-1' }).sign(publicKeyAsSecret));
  });

  test('SEC-1: an unsigned token (alg none) is refused', async () => {
    const claims = { ...validClaims(), roles: ['STAFF'] };
    await expectRefused(`${base64url({ alg: 'none', kid: 'key-1', typ: 'JWT' })}.${base64url(claims)}.`);
    // With a real signature appended, in case a verifier only looks at the header.
    const genuine = (await signedWith(key, { kid: 'key-1' }, claims)).split('.')[2];
    await expectRefused(`${base64url({ alg: 'none', kid: 'key-1' })}.${base64url(claims)}.${genuine}`);
  });

  test('SEC-1: garbage is refused with UNAUTHENTICATED, not another error', async () => {
    for (const token of ['', 'not-a-jwt', 'a.b.c', `${base64url({ alg: 'EdDSA', kid: 'key-1' })}.%%%.x`]) await expectRefused(token);
  });

  test('SEC-1: publicJwks never contains the private part d', async () => {
    const second = await generateSigningKey('key-2');
    expect(key.privateJwk.d).toEqual(expect.any(String));
    const jwks = publicJwks([key, second]);
    expect(jwks.keys).toHaveLength(2);
    for (const publicKey of jwks.keys) {
      expect(publicKey).not.toHaveProperty('d');
      expect(publicKey).toMatchObject({ kty: 'OKP', crv: 'Ed25519', x: expect.any(String), alg: 'EdDSA' });
    }
    const json = JSON.stringify(jwks);
    expect(json).not.toContain('"d"');
    expect(json).not.toContain(key.privateJwk.d ?? 'no private part');
    expect(json).not.toContain(second.privateJwk.d ?? 'no private part');
    // The source keys are left intact: publishing must not strip the key used for signing.
    expect(key.privateJwk.d).toEqual(expect.any(String));
  });
});
