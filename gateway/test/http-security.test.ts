import type http from 'node:http';
import type { RunningServer } from '@shop/platform';
import { errorCodes, postGraphQL } from '@shop/platform/testing';
import { loadGatewayConfig, startGateway } from '../src';
import { TrustedProxies } from '../src/edge/trusted-proxies';
import { startShopTestStack, TEST_SECRET, type ShopTestStack } from './shop-test-stack';

const SHOP = 'https://shop.example';
const EVIL = 'https://evil.example';
const DEV_ORIGIN = 'http://localhost:5173';
const LOGIN = 'mutation ($email: String!) { login(email: $email, password: "wrong password") { accessToken } }';
const REGISTER = 'mutation ($input: RegisterInput!) { register(input: $input) { customer { id } } }';
const SCHEMA = '{ __schema { queryType { name } } }';

const preflight = (url: string, origin: string) =>
  fetch(url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' },
  });

/** A request as a browser would send it from another site without a preflight. */
const simplePost = (url: string, contentType: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { origin: EVIL, 'content-type': contentType }, body: JSON.stringify(body) });

const registerVariables = (email: string) => ({ input: { email, password: 'correct horse battery staple', name: 'CSRF probe' } });

/**
 * SEC-6 at the gateway. One stack (catalog and accounts, logins limited to 2 per client address)
 * behind its development gateway, plus two production gateways over the same subgraphs: `proxied`
 * trusts 127.0.0.1 and ::1 (where the test's requests come from) as its proxy, `direct` trusts none.
 */
describe('browser and transport security at the gateway', () => {
  let stack: ShopTestStack;
  let proxied: RunningServer;
  let direct: RunningServer;

  const productionGateway = (env: Record<string, string>) =>
    startGateway(
      loadGatewayConfig({
        NODE_ENV: 'production',
        LOG_LEVEL: 'silent',
        PORT: '0',
        GATEWAY_SUBGRAPH_SECRET: TEST_SECRET,
        JWT_JWKS: JSON.stringify(stack.auth.jwks),
        JWT_ISSUER: stack.auth.audience.issuer,
        JWT_AUDIENCE: stack.auth.audience.audience,
        CATALOG_URL: stack.catalog.url,
        ACCOUNTS_URL: stack.accounts.url,
        ...env,
      }),
    );

  beforeAll(async () => {
    stack = await startShopTestStack({ accountsEnv: { LOGIN_ATTEMPTS_PER_CLIENT: '2' } });
    proxied = await productionGateway({ TRUSTED_PROXIES: '127.0.0.1,::1', CORS_ALLOWED_ORIGINS: SHOP, PLAYGROUND_ENABLED: 'true' });
    direct = await productionGateway({});
  });
  afterAll(async () => {
    await proxied?.stop();
    await direct?.stop();
    await stack?.stop();
  });

  describe('CORS', () => {
    test('SEC-6: a preflight from an allowed origin is answered with that exact origin, Vary: Origin, the methods and headers', async () => {
      const response = await preflight(stack.gatewayUrl, DEV_ORIGIN);
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(DEV_ORIGIN);
      expect(response.headers.get('vary')).toContain('Origin');
      const methods = response.headers.get('access-control-allow-methods')?.split(', ');
      expect(methods).toEqual(expect.arrayContaining(['GET', 'POST', 'OPTIONS']));
      const headers = response.headers.get('access-control-allow-headers')?.split(', ');
      expect(headers).toEqual(expect.arrayContaining(['content-type', 'authorization', 'x-api-key', 'apollo-require-preflight', 'x-correlation-id']));
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    });

    test('SEC-6: the request itself from an allowed origin carries the CORS headers', async () => {
      const answer = await postGraphQL(proxied.url, '{ __typename }', { headers: { origin: SHOP } });
      expect(answer.data).toEqual({ __typename: 'Query' });
      expect(answer.headers.get('access-control-allow-origin')).toBe(SHOP);
      expect(answer.headers.get('vary')).toContain('Origin');
      expect(answer.headers.get('access-control-expose-headers')).toContain('x-correlation-id');
    });

    test.each([
      ['a foreign origin in development', () => stack.gatewayUrl, EVIL],
      ['a look-alike of an allowed origin', () => proxied.url, `${SHOP}.evil.example`],
      ['the development origins in production (unless configured there)', () => direct.url, DEV_ORIGIN],
    ])('SEC-6: no CORS headers for %s: its preflight is refused (403), its request answered without them', async (_label, url, origin) => {
      const response = await preflight(url(), origin);
      expect(response.status).toBe(403);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('access-control-allow-methods')).toBeNull();
      const answer = await postGraphQL(url(), '{ __typename }', { headers: { origin } });
      expect(answer.headers.get('access-control-allow-origin')).toBeNull();
      expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
    });
  });

  describe('CSRF prevention', () => {
    test.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])(
      'SEC-6: a cross-site simple POST (%s) is refused with 400 and never runs',
      async (contentType) => {
        const email = `csrf-${contentType.split(/[/;]/)[1]}-${Date.now()}@example.com`;
        const response = await simplePost(stack.gatewayUrl, contentType, { query: REGISTER, variables: registerVariables(email) });
        expect(response.status).toBe(400);
        expect(await response.text()).toContain('Cross-Site Request Forgery');
        // The same registration sent properly succeeds: the refused one created nothing.
        const proper = await postGraphQL(stack.gatewayUrl, REGISTER, { variables: registerVariables(email) });
        expect(errorCodes(proper)).toEqual([]);
      },
    );

    test('SEC-6: a GET without a preflight header is refused; a GET mutation is refused even with one; neither runs', async () => {
      const get = (query: string, variables: unknown, headers: Record<string, string> = {}) =>
        fetch(`${stack.gatewayUrl}?${new URLSearchParams({ query, variables: JSON.stringify(variables) })}`, {
          headers: { accept: 'application/json', origin: EVIL, ...headers },
        });
      const email = `csrf-get-${Date.now()}@example.com`;
      const plain = await get(REGISTER, registerVariables(email));
      expect(plain.status).toBe(400);
      expect(await plain.text()).toContain('Cross-Site Request Forgery');
      const withPreflightHeader = await get(REGISTER, registerVariables(email), { 'apollo-require-preflight': 'true' });
      expect(withPreflightHeader.status).toBe(405);
      const proper = await postGraphQL(stack.gatewayUrl, REGISTER, { variables: registerVariables(email) });
      expect(errorCodes(proper)).toEqual([]);

      // The control: a GET query with the header runs.
      const query = await get('{ __typename }', {}, { 'apollo-require-preflight': 'true' });
      expect(query.status).toBe(200);
      expect(await query.json()).toEqual({ data: { __typename: 'Query' } });
    });
  });

  describe('security headers', () => {
    test('SEC-6: nosniff and Referrer-Policy in every mode; X-Frame-Options and HSTS only in production', async () => {
      const development = await postGraphQL(stack.gatewayUrl, '{ __typename }', { headers: { 'x-forwarded-proto': 'https' } });
      expect(development.headers.get('x-content-type-options')).toBe('nosniff');
      expect(development.headers.get('referrer-policy')).toBe('no-referrer');
      expect(development.headers.get('x-frame-options')).toBeNull();
      expect(development.headers.get('strict-transport-security')).toBeNull();

      const health = await fetch(new URL('/healthz', direct.url));
      expect(health.headers.get('x-content-type-options')).toBe('nosniff');
      expect(health.headers.get('x-frame-options')).toBe('DENY');
    });

    test('SEC-6: production sends HSTS only for https through a trusted proxy', async () => {
      const viaProxy = (url: string, proto?: string) => postGraphQL(url, '{ __typename }', { headers: proto ? { 'x-forwarded-proto': proto } : {} });
      const https = await viaProxy(proxied.url, 'https');
      expect(https.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
      expect(https.headers.get('x-frame-options')).toBe('DENY');
      expect(https.headers.get('x-content-type-options')).toBe('nosniff');
      // Plain http through the proxy, and a client claiming https to a gateway that trusts no proxy.
      expect((await viaProxy(proxied.url, 'http')).headers.get('strict-transport-security')).toBeNull();
      expect((await viaProxy(proxied.url)).headers.get('strict-transport-security')).toBeNull();
      expect((await viaProxy(proxied.url, 'https, http')).headers.get('strict-transport-security')).toBeNull();
      expect((await viaProxy(direct.url, 'https')).headers.get('strict-transport-security')).toBeNull();
    });
  });

  describe('client address through proxies', () => {
    const login = (url: string, forwardedFor: string) =>
      postGraphQL(url, LOGIN, { variables: { email: `nobody-${Math.random()}@example.com` }, headers: { 'x-forwarded-for': forwardedFor } });

    test('SEC-6, SEC-7: X-Forwarded-For from an untrusted peer is ignored: a new address per request does not escape the per-client login limit', async () => {
      expect(errorCodes(await login(direct.url, '198.51.100.1'))).toEqual(['INVALID_CREDENTIALS']);
      expect(errorCodes(await login(direct.url, '198.51.100.2'))).toEqual(['INVALID_CREDENTIALS']);
      expect(errorCodes(await login(direct.url, '198.51.100.3'))).toEqual(['RATE_LIMITED']);
    });

    test('SEC-6, SEC-7: X-Forwarded-For from a trusted proxy names the client; what the client put left of it is ignored', async () => {
      // 127.0.0.1 is used up by now (the test above): these pass only because accounts sees the forwarded address.
      expect(errorCodes(await login(proxied.url, '203.0.113.7'))).toEqual(['INVALID_CREDENTIALS']);
      expect(errorCodes(await login(proxied.url, '203.0.113.7'))).toEqual(['INVALID_CREDENTIALS']);
      expect(errorCodes(await login(proxied.url, '198.51.100.99, 203.0.113.7'))).toEqual(['RATE_LIMITED']);
      expect(errorCodes(await login(proxied.url, '203.0.113.8'))).toEqual(['INVALID_CREDENTIALS']);
    });

    test('SEC-6: the walk right to left stops at the first untrusted address; mapped IPv6, CIDR blocks and junk', () => {
      const proxies = new TrustedProxies(['10.0.0.0/8', 'fd00::/8', '192.0.2.1']);
      const request = (peer: string, forwardedFor?: string) =>
        ({ socket: { remoteAddress: peer }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } }) as unknown as http.IncomingMessage;
      expect(proxies.clientAddress(request('203.0.113.5', '1.2.3.4'))).toBe('203.0.113.5');
      expect(proxies.clientAddress(request('::ffff:10.1.2.3', '1.2.3.4'))).toBe('1.2.3.4');
      expect(proxies.clientAddress(request('10.1.2.3', '6.6.6.6, 1.2.3.4, 192.0.2.1'))).toBe('1.2.3.4');
      expect(proxies.clientAddress(request('fd12::1', '2001:db8::7'))).toBe('2001:db8::7');
      expect(proxies.clientAddress(request('10.1.2.3', 'not-an-address'))).toBe('10.1.2.3');
      expect(proxies.clientAddress(request('10.1.2.3'))).toBe('10.1.2.3');
    });
  });

  describe('introspection and the playground', () => {
    const withToken = async (url: string, query: string, roles: ('STAFF' | 'CUSTOMER')[]) =>
      postGraphQL(url, query, { headers: { authorization: `Bearer ${await stack.auth.token(`user-${roles.join('-')}`, roles)}` } });

    test('SEC-6: in production introspection is refused (403 FORBIDDEN) to the public and to customers, and runs for staff', async () => {
      const anonymous = await postGraphQL(proxied.url, SCHEMA);
      expect(anonymous.status).toBe(403);
      expect(errorCodes(anonymous)).toEqual(['FORBIDDEN']);
      expect(anonymous.data).toBeUndefined();
      expect(errorCodes(await withToken(proxied.url, SCHEMA, ['CUSTOMER']))).toEqual(['FORBIDDEN']);
      const hidden = 'query { products(first: 1) { edges { cursor } } ...Types } fragment Types on Query { t: __type(name: "Product") { name } }';
      expect(errorCodes(await postGraphQL(proxied.url, hidden))).toEqual(['FORBIDDEN']);
      expect((await postGraphQL(proxied.url, '{ __typename }')).data).toEqual({ __typename: 'Query' });

      const staff = await withToken(proxied.url, SCHEMA, ['STAFF']);
      expect(errorCodes(staff)).toEqual([]);
      expect(staff.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    });

    test('SEC-6: in development introspection is open', async () => {
      const anonymous = await postGraphQL(stack.gatewayUrl, SCHEMA);
      expect(anonymous.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    });

    test('SEC-6: PLAYGROUND_ENABLED=true serves the playground in production under a strict CSP; unset, production serves none', async () => {
      const page = await fetch(proxied.url, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('/playground/graphiql.min.js');
      const csp = page.headers.get('content-security-policy') ?? '';
      for (const directive of ["default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"]) expect(csp).toContain(directive);
      expect(csp).not.toMatch(/script-src[^;]*unsafe/);
      expect((await fetch(new URL('/playground/graphiql.min.js', proxied.url))).status).toBe(200);

      const none = await fetch(direct.url, { headers: { accept: 'text/html' } });
      expect(await none.text()).not.toContain('graphiql');
      expect((await fetch(new URL('/playground/graphiql.min.js', direct.url))).status).toBe(404);
    });
  });

  test('SEC-6: origins and proxies are validated at start-up; production allows no origin and trusts no proxy by default', () => {
    const production = { NODE_ENV: 'production', GATEWAY_SUBGRAPH_SECRET: TEST_SECRET, JWT_JWKS: JSON.stringify(stack.auth.jwks), LOG_LEVEL: 'silent' };
    expect(loadGatewayConfig(production).http).toMatchObject({ corsAllowedOrigins: [], trustedProxies: [], corsAllowCredentials: false });
    expect(loadGatewayConfig(production).playground).toBe(false);
    expect(loadGatewayConfig({ LOG_LEVEL: 'silent' }).http.corsAllowedOrigins).toEqual(['http://localhost:3000', 'http://localhost:5173']);
    expect(loadGatewayConfig({ LOG_LEVEL: 'silent', CORS_ALLOWED_ORIGINS: `${SHOP}, https://admin.shop.example` }).http.corsAllowedOrigins).toEqual([
      SHOP,
      'https://admin.shop.example',
    ]);
    for (const origins of ['*', `${SHOP}/`, 'shop.example', `${SHOP}/app`]) {
      expect(() => loadGatewayConfig({ LOG_LEVEL: 'silent', CORS_ALLOWED_ORIGINS: origins })).toThrow(/CORS_ALLOWED_ORIGINS/);
    }
    for (const proxies of ['10.0.0.0/33', 'proxy.internal', '10.0.0.1/8/8', '::1/129']) {
      expect(() => loadGatewayConfig({ LOG_LEVEL: 'silent', TRUSTED_PROXIES: proxies })).toThrow(/TRUSTED_PROXIES/);
    }
  });
});
