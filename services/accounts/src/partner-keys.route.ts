import { IDENTITY_HEADER, readBody, sendJson, verifyIdentity, type RouteHandler } from '@shop/platform';
import type { PartnerKeyService } from './partner-key.service';

/** Where the gateway verifies an `X-Api-Key`. */
export const PARTNER_KEY_VERIFY_PATH = '/internal/partner-keys/verify';

/**
 * `POST /internal/partner-keys/verify` with `{ "key": "..." }`: answers the key's grant
 * (`{ partner, scope, marketId }`) or 404 for an unknown or revoked key. Only the gateway may ask:
 * the request must carry an identity it signed, like every subgraph request.
 */
export function partnerKeyVerifyRoute(partnerKeys: PartnerKeyService, identitySecret: string): RouteHandler {
  return async (req, res) => {
    const header = req.headers[IDENTITY_HEADER];
    if (!verifyIdentity(Array.isArray(header) ? header[0] : header, identitySecret)) {
      return sendJson(res, 401, { error: 'UNAUTHENTICATED' });
    }
    let key: unknown;
    try {
      key = (JSON.parse(await readBody(req)) as { key?: unknown }).key;
    } catch {
      return sendJson(res, 400, { error: 'BAD_USER_INPUT' });
    }
    if (typeof key !== 'string' || key.length === 0 || key.length > 200) return sendJson(res, 400, { error: 'BAD_USER_INPUT' });
    const grant = await partnerKeys.verify(key);
    return grant ? sendJson(res, 200, grant) : sendJson(res, 404, { error: 'NOT_FOUND' });
  };
}
