import { errorCodes } from '@shop/platform/testing';
import type { Identity } from '@shop/platform';
import pg from 'pg';
import { registerCustomer, startTestAccounts, type SignedIn, type TestAccounts } from './accounts-test-server';

const ADDRESS = 'id name line1 line2 city postalCode country phone isDefault';
const address = { name: 'Ada Lovelace', line1: 'Unter den Linden 1', city: 'Berlin', postalCode: '10117', country: 'de', phone: '+49 30 1234567' };
const staff: Identity = { userId: '00000000-0000-7000-8000-000000000001', roles: ['CUSTOMER', 'STAFF'] };

describe('accounts: profile, addresses, roles and GDPR', () => {
  let accounts: TestAccounts;
  let db: pg.Pool;
  let ada: SignedIn;
  let bob: SignedIn;
  beforeAll(async () => {
    accounts = await startTestAccounts();
    db = new pg.Pool({ connectionString: accounts.database.url, max: 2 });
    [ada, bob] = [await registerCustomer(accounts, 'Ada'), await registerCustomer(accounts, 'Bob')];
  });
  afterAll(async () => {
    await db.end();
    await accounts.stop();
  });
  const addAddress = async (owner: SignedIn) => {
    const answer = await accounts.call<{ addAddress: { id: string } }>(`mutation ($input: AddressInput!) { addAddress(input: $input) { ${ADDRESS} } }`, {
      variables: { input: address },
      identity: owner.identity,
    });
    return answer.data?.addAddress.id ?? '';
  };
  const storedAddress = async (id: string) => (await db.query('SELECT name, line1, city FROM address WHERE id = $1', [id])).rows[0] as unknown;

  test('SEC-8: an address is validated and normalised (ISO country upper-cased, phone in E.164); the first is the default', async () => {
    const answer = await accounts.call(`mutation ($input: AddressInput!) { addAddress(input: $input) { ${ADDRESS} } }`, { variables: { input: address }, identity: ada.identity });
    expect(answer.data?.addAddress).toMatchObject({ country: 'DE', phone: '+49301234567', isDefault: true, line2: null });
  });

  test.each([
    ['an unknown country', { ...address, country: 'XX' }, 'input.country'],
    ['a country name', { ...address, country: 'Germany' }, 'input.country'],
    ['an empty street', { ...address, line1: ' ' }, 'input.line1'],
    ['a bad phone', { ...address, phone: '12' }, 'input.phone'],
  ])('SEC-8: an address with %s is BAD_USER_INPUT on its field and stores nothing', async (_label, input, field) => {
    const before = (await db.query('SELECT count(*) FROM address')).rows[0] as unknown;
    const answer = await accounts.call(`mutation ($input: AddressInput!) { addAddress(input: $input) { id } }`, { variables: { input }, identity: ada.identity });
    expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.errors?.[0]?.extensions?.field).toBe(field);
    expect((await db.query('SELECT count(*) FROM address')).rows[0]).toEqual(before);
  });

  test('SEC-3: another customer cannot change or delete an address: NOT_FOUND, exactly like a missing one, and nothing changes', async () => {
    const id = await addAddress(ada);
    const before = await storedAddress(id);
    const update = (target: string) =>
      accounts.call(`mutation ($id: ID!, $input: AddressInput!) { updateAddress(id: $id, input: $input) { id } }`, {
        variables: { id: target, input: { ...address, name: 'Mallory' } },
        identity: bob.identity,
      });
    const remove = (target: string) => accounts.call(`mutation ($id: ID!) { deleteAddress(id: $id) }`, { variables: { id: target }, identity: bob.identity });
    const missing = '01900000-0000-7000-8000-000000000000';
    const [theirs, nobodys] = [await update(id), await update(missing)];
    expect(errorCodes(theirs)).toEqual(['NOT_FOUND']);
    expect(theirs.text.replace(id, 'ID')).toBe(nobodys.text.replace(missing, 'ID'));
    expect(errorCodes(await remove(id))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await update('not-a-uuid'))).toEqual(['NOT_FOUND']);
    expect(await storedAddress(id)).toEqual(before);
  });

  test('SEC-3: the owner updates and deletes their address', async () => {
    const id = await addAddress(ada);
    const updated = await accounts.call(`mutation ($id: ID!, $input: AddressInput!) { updateAddress(id: $id, input: $input) { name } }`, {
      variables: { id, input: { ...address, name: 'Ada King' } },
      identity: ada.identity,
    });
    expect(updated.data).toEqual({ updateAddress: { name: 'Ada King' } });
    expect((await accounts.call(`mutation ($id: ID!) { deleteAddress(id: $id) }`, { variables: { id }, identity: ada.identity })).data).toEqual({ deleteAddress: true });
    expect(await storedAddress(id)).toBeUndefined();
  });

  test('SEC-3: me is the caller (null for guests); a Customer entity resolves only for its owner and staff', async () => {
    const me = await accounts.call(`{ me { id name addresses { id } } }`, { identity: ada.identity });
    expect(me.data?.me).toMatchObject({ id: ada.id, name: 'Ada' });
    expect((await accounts.call(`{ me { id } }`)).data).toEqual({ me: null });
    const entity = (identity?: Identity) =>
      accounts.call<{ _entities: unknown[] }>(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id email } } }`, {
        variables: { r: [{ __typename: 'Customer', id: ada.id }] },
        identity,
      });
    expect((await entity(ada.identity)).data?._entities).toEqual([{ id: ada.id, email: ada.email }]);
    expect((await entity(staff)).data?._entities).toEqual([{ id: ada.id, email: ada.email }]);
    for (const stranger of [bob.identity, undefined]) {
      const answer = await entity(stranger);
      expect(answer.data?._entities).toEqual([null]);
      expect(answer.text).not.toContain(ada.email);
    }
  });

  test('SEC-4: customer(id) is staff-only; roles are granted and revoked by staff only, and CUSTOMER stays', async () => {
    const read = (identity: Identity) => accounts.call(`query ($id: ID!) { customer(id: $id) { id roles } }`, { variables: { id: ada.id }, identity });
    expect(errorCodes(await read(bob.identity))).toEqual(['FORBIDDEN']);
    expect((await read(staff)).data).toEqual({ customer: { id: ada.id, roles: ['CUSTOMER'] } });
    const change = (name: 'grantRole' | 'revokeRole', role: string, identity: Identity) =>
      accounts.call(`mutation ($id: ID!, $role: Role!) { ${name}(customerId: $id, role: $role) { roles } }`, { variables: { id: ada.id, role }, identity });
    expect(errorCodes(await change('grantRole', 'STAFF', ada.identity))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await change('grantRole', 'SELLER', bob.identity))).toEqual(['FORBIDDEN']);
    expect((await change('grantRole', 'SELLER', staff)).data).toEqual({ grantRole: { roles: ['CUSTOMER', 'SELLER'] } });
    expect(errorCodes(await change('revokeRole', 'CUSTOMER', staff))).toEqual(['BAD_USER_INPUT']);
    expect((await change('revokeRole', 'SELLER', staff)).data).toEqual({ revokeRole: { roles: ['CUSTOMER'] } });
    const audit = await db.query('SELECT action, actor_id FROM audit_entry WHERE account_id = $1 ORDER BY at', [ada.id]);
    expect(audit.rows).toEqual([
      { action: 'ROLE_GRANTED', actor_id: staff.userId },
      { action: 'ROLE_REVOKED', actor_id: staff.userId },
    ]);
  });

  test('SEC-8: the verification link from the email sandbox confirms the address; a tampered one is refused', async () => {
    const carol = await registerCustomer(accounts, 'Carol');
    const link = new URL(await accounts.lastLink(carol.email));
    const token = link.searchParams.get('token') ?? '';
    const verify = (value: string) => accounts.call(`mutation ($t: String!) { verifyEmail(token: $t) { id emailVerified } }`, { variables: { t: value } });
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(errorCodes(await verify(tampered))).toEqual(['INVALID_VERIFICATION_LINK']);
    expect((await verify(token)).data).toEqual({ verifyEmail: { id: carol.id, emailVerified: true } });
  });

  test('SEC-9: exportMyData returns everything accounts holds about the caller, never the password hash, and is recorded', async () => {
    const dave = await registerCustomer(accounts, 'Dave');
    await addAddress(dave);
    const answer = await accounts.call<{ exportMyData: { json: string } }>(`mutation { exportMyData { generatedAt json } }`, { identity: dave.identity });
    const data = JSON.parse(answer.data?.exportMyData.json ?? '{}') as { account: Record<string, unknown>; addresses: unknown[]; sessions: unknown[] };
    expect(data.account).toMatchObject({ id: dave.id, email: dave.email, name: 'Dave' });
    expect(data.account).not.toHaveProperty('passwordHash');
    expect(answer.text).not.toContain('argon2');
    expect(data.addresses).toHaveLength(1);
    expect(data.sessions).toHaveLength(1);
    expect((await db.query(`SELECT action FROM audit_entry WHERE account_id = $1`, [dave.id])).rows).toEqual([{ action: 'DATA_EXPORTED' }]);
    expect(errorCodes(await accounts.call(`mutation { exportMyData { json } }`))).toEqual(['UNAUTHENTICATED']);
  });

  test('SEC-9: deleteMyAccount needs the password, then anonymises, ends every session and announces CustomerDeleted', async () => {
    const erin = await registerCustomer(accounts, 'Erin');
    await addAddress(erin);
    const remove = (password: string) => accounts.call(`mutation ($p: String) { deleteMyAccount(password: $p) }`, { variables: { p: password }, identity: erin.identity });
    expect(errorCodes(await remove('not my password'))).toEqual(['INVALID_CREDENTIALS']);
    expect((await db.query('SELECT email FROM account WHERE id = $1', [erin.id])).rows).toEqual([{ email: erin.email }]);

    expect((await remove(erin.password)).data).toEqual({ deleteMyAccount: true });
    const { rows } = await db.query('SELECT email, phone, name, password_hash, deleted_at IS NOT NULL deleted FROM account WHERE id = $1', [erin.id]);
    expect(rows).toEqual([{ email: null, phone: null, name: '', password_hash: null, deleted: true }]);
    expect((await db.query('SELECT count(*)::int n FROM address WHERE account_id = $1', [erin.id])).rows).toEqual([{ n: 0 }]);
    const refresh = await accounts.call(`mutation ($t: String!) { refreshToken(refreshToken: $t) { accessToken } }`, { variables: { t: erin.refreshToken } });
    expect(errorCodes(refresh)).toEqual(['INVALID_REFRESH_TOKEN']);
    const login = await accounts.call(`mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }`, { variables: { e: erin.email, p: erin.password } });
    expect(errorCodes(login)).toEqual(['INVALID_CREDENTIALS']);
    expect((await accounts.call(`{ me { id } }`, { identity: erin.identity })).data).toEqual({ me: null });
    const events = await db.query(`SELECT type, payload->>'customerId' AS customer FROM outbox WHERE aggregate_id = $1`, [erin.id]);
    expect(events.rows).toEqual([{ type: 'CustomerDeleted', customer: erin.id }]);
  });
});
