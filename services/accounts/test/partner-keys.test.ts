import pg from 'pg';
import { ANONYMOUS, IDENTITY_HEADER, signIdentity, type Identity } from '@shop/platform';
import { errorCodes } from '@shop/platform/testing';
import { PARTNER_KEY_VERIFY_PATH } from '../src';
import { SECRET, startTestAccounts, type TestAccounts } from './accounts-test-server';

const staff: Identity = { userId: '00000000-0000-7000-8000-000000000001', roles: ['CUSTOMER', 'STAFF'] };
const customer: Identity = { userId: '00000000-0000-7000-8000-000000000002', roles: ['CUSTOMER'] };
const CREATE = 'mutation ($input: CreatePartnerKeyInput!) { createPartnerKey(input: $input) { key partnerKey { id partner keyPrefix scope marketId createdBy revokedAt } } }';
const MARKET = '0190b2a0-0000-7000-8000-00000000abcd';

interface Created {
  createPartnerKey: { key: string; partnerKey: { id: string; partner: string; keyPrefix: string; scope: string; marketId: string | null; createdBy: string; revokedAt: string | null } };
}

describe('accounts: partner API keys (issue 9)', () => {
  let accounts: TestAccounts;
  let db: pg.Pool;
  beforeAll(async () => {
    accounts = await startTestAccounts();
    db = new pg.Pool({ connectionString: accounts.database.url, max: 2 });
  });
  afterAll(async () => {
    await db.end();
    await accounts.stop();
  });

  /** Asks the verify route as the gateway would (or with another header). */
  const verify = (key: string, header = signIdentity(ANONYMOUS, SECRET)) =>
    fetch(new URL(PARTNER_KEY_VERIFY_PATH, accounts.server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(header ? { [IDENTITY_HEADER]: header } : {}) },
      body: JSON.stringify({ key }),
    });

  test('issue 9: staff create a key, shown once and stored only as its SHA-256; the gateway verifies it to its grant', async () => {
    const answer = await accounts.call<Created>(CREATE, { variables: { input: { partner: 'acme', scope: 'MARKET', marketId: MARKET } }, identity: staff });
    const created = answer.data?.createPartnerKey;
    expect(created?.partnerKey).toMatchObject({ partner: 'acme', scope: 'MARKET', marketId: MARKET, createdBy: staff.userId, revokedAt: null });
    expect(created?.key.startsWith(created.partnerKey.keyPrefix)).toBe(true);
    const stored = await db.query('SELECT key_hash FROM partner_key WHERE id = $1', [created?.partnerKey.id]);
    expect(JSON.stringify(stored.rows)).not.toContain(created?.key);
    const verified = await verify(created?.key ?? '');
    expect(verified.status).toBe(200);
    expect(await verified.json()).toEqual({ partner: 'acme', scope: 'MARKET', marketId: MARKET });
    const listed = await accounts.call<{ partnerKeys: { id: string }[] }>('{ partnerKeys { id keyPrefix } }', { identity: staff });
    expect(listed.data?.partnerKeys.map((key) => key.id)).toContain(created?.partnerKey.id);
    expect(listed.text).not.toContain(created?.key);
  });

  test('issue 9: a revoked or unknown key verifies as 404; revoking twice changes nothing', async () => {
    const created = (await accounts.call<Created>(CREATE, { variables: { input: { partner: 'acme', scope: 'READ_ONLY' } }, identity: staff })).data?.createPartnerKey;
    expect((await verify(created?.key ?? '')).status).toBe(200);
    const revoke = 'mutation ($id: ID!) { revokePartnerKey(id: $id) { revokedAt } }';
    const first = await accounts.call<{ revokePartnerKey: { revokedAt: string } }>(revoke, { variables: { id: created?.partnerKey.id }, identity: staff });
    const second = await accounts.call<{ revokePartnerKey: { revokedAt: string } }>(revoke, { variables: { id: created?.partnerKey.id }, identity: staff });
    expect(first.data?.revokePartnerKey.revokedAt).toEqual(expect.any(String));
    expect(second.data?.revokePartnerKey.revokedAt).toBe(first.data?.revokePartnerKey.revokedAt);
    expect((await verify(created?.key ?? '')).status).toBe(404);
    expect((await verify('pk_unknown')).status).toBe(404);
  });

  test('issue 9: only staff create, list or revoke keys; only the gateway may verify one', async () => {
    const input = { partner: 'acme', scope: 'READ_ONLY' };
    expect(errorCodes(await accounts.call(CREATE, { variables: { input }, identity: customer }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await accounts.call(CREATE, { variables: { input } }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await accounts.call('{ partnerKeys { id } }', { identity: customer }))).toEqual(['FORBIDDEN']);
    const created = (await accounts.call<Created>(CREATE, { variables: { input }, identity: staff })).data?.createPartnerKey;
    expect((await verify(created?.key ?? '', '')).status).toBe(401);
    expect((await verify(created?.key ?? '', signIdentity(ANONYMOUS, 'some-other-secret-of-at-least-32-bytes!'))).status).toBe(401);
  });

  test.each([
    ['a partner name that is not a slug', { partner: '../etc', scope: 'READ_ONLY' }, 'input.partner'],
    ['a MARKET key without a market', { partner: 'acme', scope: 'MARKET' }, 'input.marketId'],
    ['a READ_ONLY key with a market', { partner: 'acme', scope: 'READ_ONLY', marketId: MARKET }, 'input.marketId'],
  ])('issue 9: %s is BAD_USER_INPUT', async (_name, input, field) => {
    const answer = await accounts.call(CREATE, { variables: { input }, identity: staff });
    expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.errors?.[0]?.extensions?.field).toBe(field);
  });
});
