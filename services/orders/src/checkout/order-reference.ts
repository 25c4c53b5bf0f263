import { randomInt } from 'node:crypto';

/** No 0/O, 1/I/L: a reference read out on the phone is still unambiguous. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const LENGTH = 8;

/** A human-readable order reference (ORD-6), e.g. SO-7KQ2M9XD: random, so it reveals no order count. */
export function newOrderReference(): string {
  let code = '';
  for (let i = 0; i < LENGTH; i += 1) code += ALPHABET[randomInt(ALPHABET.length)];
  return `SO-${code}`;
}
