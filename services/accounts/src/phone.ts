import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { badUserInput } from '@shop/platform';

/** `phone` in E.164 (+4915112345678); international format required, since there is no default country. */
export function normalisePhone(phone: string, field: string): string {
  const parsed = parsePhoneNumberFromString(phone.trim());
  if (!parsed?.isValid()) throw badUserInput(field, 'Give a valid phone number in international format, e.g. +4915112345678.');
  return parsed.number;
}
