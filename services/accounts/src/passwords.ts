import { Algorithm, hash, verify } from '@node-rs/argon2';
import { badUserInput } from '@shop/platform';
import { COMMON_PASSWORDS } from './common-passwords';

/** OWASP's minimum for argon2id: 19 MiB of memory, two passes, one lane. */
const ARGON2ID = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
export const PASSWORD_MIN_LENGTH = 10;
const PASSWORD_MAX_LENGTH = 128;

/** Refuses a password that is too short, too long, or among the most common ones. */
export function checkPasswordPolicy(password: string, field = 'input.password'): void {
  if (password.length < PASSWORD_MIN_LENGTH) throw badUserInput(field, `The password needs at least ${PASSWORD_MIN_LENGTH} characters.`);
  if (password.length > PASSWORD_MAX_LENGTH) throw badUserInput(field, `The password may have at most ${PASSWORD_MAX_LENGTH} characters.`);
  if (COMMON_PASSWORDS.has(password.toLowerCase())) throw badUserInput(field, 'This password is too common; choose another.');
}

/** An argon2id PHC string for `password`. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2ID);
}

/**
 * Verifies `password`. Without a stored hash (unknown email, phone-only account) it still verifies
 * against a hash of the same cost, so that answering takes as long as for a wrong password.
 */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  const matches = await verify(stored ?? (await timingDecoy()), password).catch(() => false);
  return stored !== null && matches;
}

let decoy: Promise<string> | undefined;
function timingDecoy(): Promise<string> {
  decoy ??= hashPassword('decoy password that is never anyone\'s');
  return decoy;
}
