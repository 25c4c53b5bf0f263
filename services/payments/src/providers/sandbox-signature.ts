import { createHmac, timingSafeEqual } from 'node:crypto';
import { WebhookRejected } from './payment-provider';

/** The header the sandbox provider signs its webhooks with (CONTRACT). */
export const SANDBOX_SIGNATURE_HEADER = 'shop-signature';

/** `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. */
export function signSandboxPayload(secret: string, rawBody: string, timestamp: number): string {
  return `t=${timestamp},v1=${hmac(secret, timestamp, rawBody)}`;
}

/**
 * Verifies a `Shop-Signature` header (PAY-2): HMAC-SHA256 over `t.rawBody`, compared in constant
 * time against every `v1` (so a secret can rotate), and `t` within `toleranceSeconds` of now in
 * either direction. Throws WebhookRejected naming what failed.
 */
export function verifySandboxSignature(secret: string, rawBody: string, header: string | undefined, nowSeconds: number, toleranceSeconds: number): void {
  if (!header) throw new WebhookRejected('missing signature');
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    if (key === 'v1' && value && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  if (timestamp === null || signatures.length === 0) throw new WebhookRejected('malformed signature');
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) throw new WebhookRejected(timestamp < nowSeconds ? 'stale timestamp' : 'future timestamp');
  const expected = Buffer.from(hmac(secret, timestamp, rawBody), 'hex');
  const matches = signatures.some((candidate) => timingSafeEqual(Buffer.from(candidate, 'hex'), expected));
  if (!matches) throw new WebhookRejected('bad signature');
}

function hmac(secret: string, timestamp: number, rawBody: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');
}
