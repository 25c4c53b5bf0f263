import { ANONYMOUS, closeServer, createHttpServer, IdentitySigner, listen, sendJson } from '@shop/platform';
import { PartnerDirectory, partnerIdentity, type PartnerGrant } from './partner-directory';

const SECRET = 'partner-directory-spec-secret-of-at-least-32-bytes';

/** A stand-in for accounts' verify route that answers `grant` for every key. */
async function accountsAnswering(grant: unknown): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = createHttpServer({ 'POST /verify': (_req, res) => sendJson(res, 200, grant) });
  const port = await listen(server, 0, '127.0.0.1');
  return { url: `http://127.0.0.1:${port}/verify`, stop: () => closeServer(server) };
}

describe('partner identity (issue 9)', () => {
  test('SEC-4: a READ_ONLY key runs as a guest; a MARKET key as nobody with its market claim', () => {
    expect(partnerIdentity({ partner: 'p', scope: 'READ_ONLY', marketId: null })).toBe(ANONYMOUS);
    expect(partnerIdentity({ partner: 'p', scope: 'READ_ONLY', marketId: 'market-a' })).toBe(ANONYMOUS);
    expect(partnerIdentity({ partner: 'p', scope: 'MARKET', marketId: 'market-a' })).toEqual({ userId: null, roles: [], partnerMarketId: 'market-a' });
  });

  test.each<[string, unknown]>([
    ['a MARKET grant without a market', { partner: 'p', scope: 'MARKET', marketId: null }],
    ['an unknown scope', { partner: 'p', scope: 'STAFF', marketId: null }],
    ['no partner', { scope: 'READ_ONLY', marketId: null }],
  ])('SEC-4: %s from accounts is SERVICE_UNAVAILABLE, never a grant', async (_label, answer) => {
    const accounts = await accountsAnswering(answer);
    try {
      const directory = new PartnerDirectory(accounts.url, new IdentitySigner(SECRET), 30);
      await expect(directory.resolve('pk_any')).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    } finally {
      await accounts.stop();
    }
  });

  test('SEC-4: a well-formed MARKET grant from accounts is taken as it is', async () => {
    const grant: PartnerGrant = { partner: 'p', scope: 'MARKET', marketId: 'market-a' };
    const accounts = await accountsAnswering(grant);
    try {
      await expect(new PartnerDirectory(accounts.url, new IdentitySigner(SECRET), 30).resolve('pk_any')).resolves.toEqual(grant);
    } finally {
      await accounts.stop();
    }
  });
});
