import { errorCodes } from '@shop/platform/testing';
import pg from 'pg';
import { AUTH_FIELDS, startTestAccounts, type TestAccounts } from './accounts-test-server';

const REQUEST = `mutation ($phone: String!) { requestOtp(phone: $phone) { sent retryAfterSeconds } }`;
const VERIFY = `mutation ($phone: String!, $code: String!) { verifyOtp(phone: $phone, code: $code) { ${AUTH_FIELDS} phoneOwner: customer { phone } } }`;

let phones = 0;
/** A fresh valid German mobile number per test, so limits of one test never touch another. */
function newPhone(): string {
  phones += 1;
  return `+4915${String(Date.now() % 1e7).padStart(7, '0')}${String(phones % 100).padStart(2, '0')}`.slice(0, 14);
}

describe('accounts: phone one-time codes', () => {
  let accounts: TestAccounts;
  let db: pg.Pool;
  beforeAll(async () => {
    accounts = await startTestAccounts({ OTP_PER_CLIENT_PER_HOUR: '1000' });
    db = new pg.Pool({ connectionString: accounts.database.url, max: 2 });
  });
  afterAll(async () => {
    await db.end();
    await accounts.stop();
  });
  const request = (phone: string, clientAddress = '192.0.2.10') => accounts.call<{ requestOtp: { sent: boolean; retryAfterSeconds: number } }>(REQUEST, { variables: { phone }, clientAddress });
  const verify = (phone: string, code: string) =>
    accounts.call<{ verifyOtp: { customer: { id: string }; phoneOwner: { phone: string } } }>(VERIFY, { variables: { phone, code } });

  test('SEC-8: the phone is normalised to E.164 and the code goes out through the SMS sandbox (MESSAGES_FILE)', async () => {
    const answer = await request('+49 151 2345 6789');
    expect(answer.data?.requestOtp).toEqual({ sent: true, retryAfterSeconds: 120 });
    expect(await accounts.lastCode('+4915123456789')).toMatch(/^\d{6}$/);
  });

  test.each(['12345', '0151 2345 6789', '+99 123', 'not a phone'])('SEC-8: "%s" is refused with BAD_USER_INPUT on phone', async (phone) => {
    const answer = await request(phone);
    expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.errors?.[0]?.extensions?.field).toBe('phone');
  });

  test('SEC-1: the first OTP sign-in creates the customer; the next signs in to the same account', async () => {
    const quick = await startTestAccounts({ OTP_PER_PHONE_SECONDS: '1' });
    try {
      const phone = newPhone();
      const signIn = async () => {
        await quick.call(REQUEST, { variables: { phone } });
        const answer = await quick.call<{ verifyOtp: { customer: { id: string }; phoneOwner: { phone: string } } }>(VERIFY, {
          variables: { phone, code: await quick.lastCode(phone) },
        });
        return answer.data?.verifyOtp;
      };
      const first = await signIn();
      expect(first?.phoneOwner.phone).toBe(phone);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const second = await signIn();
      expect(second?.customer.id).toBe(first?.customer.id);
    } finally {
      await quick.stop();
    }
  });

  test('SEC-2: a second code for the same phone within 2 minutes is RATE_LIMITED with retryAfter', async () => {
    const phone = newPhone();
    expect(errorCodes(await request(phone))).toEqual([]);
    const again = await request(phone, '192.0.2.99');
    expect(errorCodes(again)).toEqual(['RATE_LIMITED']);
    expect(again.errors?.[0]?.extensions?.retryAfter).toBeGreaterThan(100);
    expect(again.errors?.[0]?.extensions?.retryAfter).toBeLessThanOrEqual(120);
  });

  test('SEC-2: a code works once', async () => {
    const phone = newPhone();
    await request(phone);
    const code = await accounts.lastCode(phone);
    expect(errorCodes(await verify(phone, code))).toEqual([]);
    expect(errorCodes(await verify(phone, code))).toEqual(['INVALID_CODE']);
  });

  test('SEC-2: five wrong codes burn the code: the right one is refused afterwards', async () => {
    const phone = newPhone();
    await request(phone);
    const code = await accounts.lastCode(phone);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i += 1) expect(errorCodes(await verify(phone, wrong))).toEqual(['INVALID_CODE']);
    expect(errorCodes(await verify(phone, code))).toEqual(['INVALID_CODE']);
  });

  test('SEC-2: concurrent guesses cannot exceed five tries', async () => {
    const phone = newPhone();
    await request(phone);
    const code = await accounts.lastCode(phone);
    const guesses = Array.from({ length: 20 }, (_, i) => String((Number(code) + 1 + i) % 1e6).padStart(6, '0'));
    await Promise.all(guesses.map((guess) => verify(phone, guess)));
    const { rows } = await db.query<{ attempts: number; consumed: boolean }>('SELECT attempts, consumed_at IS NOT NULL consumed FROM otp_challenge WHERE phone = $1', [phone]);
    expect(rows).toEqual([{ attempts: 5, consumed: true }]);
    expect(errorCodes(await verify(phone, code))).toEqual(['INVALID_CODE']);
  });

  test('SEC-2: an expired code is refused', async () => {
    const phone = newPhone();
    await request(phone);
    await db.query(`UPDATE otp_challenge SET expires_at = now() - interval '1 second' WHERE phone = $1`, [phone]);
    expect(errorCodes(await verify(phone, await accounts.lastCode(phone)))).toEqual(['INVALID_CODE']);
  });

  test('SEC-2: codes are stored only as HMACs', async () => {
    const phone = newPhone();
    await request(phone);
    const code = await accounts.lastCode(phone);
    const { rows } = await db.query<{ code_hash: string }>('SELECT code_hash FROM otp_challenge WHERE phone = $1', [phone]);
    expect(rows[0]?.code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]?.code_hash).not.toContain(code);
  });

  test('SEC-2: one client gets at most OTP_PER_CLIENT_PER_HOUR codes, whatever the phones', async () => {
    const capped = await startTestAccounts({ OTP_PER_CLIENT_PER_HOUR: '2' });
    try {
      const from = (phone: string) => capped.call(REQUEST, { variables: { phone }, clientAddress: '192.0.2.77' });
      expect(errorCodes(await from(newPhone()))).toEqual([]);
      expect(errorCodes(await from(newPhone()))).toEqual([]);
      const third = await from(newPhone());
      expect(errorCodes(third)).toEqual(['RATE_LIMITED']);
      expect(third.errors?.[0]?.extensions?.retryAfter).toBeGreaterThan(3000);
    } finally {
      await capped.stop();
    }
  });
});
