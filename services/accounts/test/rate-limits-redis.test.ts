import { describeWithRedis, errorCodes, TEST_REDIS_URL } from '@shop/platform/testing';
import { startTestAccounts, type TestAccounts } from './accounts-test-server';

const REQUEST = `mutation ($phone: String!) { requestOtp(phone: $phone) { sent } }`;

describeWithRedis('accounts rate limits in Redis')('accounts: rate limits shared by replicas through Redis', () => {
  let accounts: TestAccounts;
  beforeAll(async () => {
    accounts = await startTestAccounts({ REDIS_URL: TEST_REDIS_URL });
  });
  afterAll(async () => {
    await accounts.stop();
  });

  test('SEC-2: a code requested on one replica blocks a second request for that phone on another', async () => {
    const other = await accounts.replica();
    // A phone of its own per run: keys of earlier runs expire on their own and never meet this one.
    const phone = `+4917${String(Date.now()).slice(-8)}`;
    expect(errorCodes(await accounts.call(REQUEST, { variables: { phone }, clientAddress: `198.18.${Date.now() % 250}.1` }))).toEqual([]);
    const second = await other(REQUEST, { variables: { phone }, clientAddress: `198.18.${Date.now() % 250}.2` });
    expect(errorCodes(second)).toEqual(['RATE_LIMITED']);
  });
});
