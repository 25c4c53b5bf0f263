import { z } from 'zod';
import { badUserInput, notFound, parseInput } from '@shop/platform';
import { toAddressView, type AddressView } from './account.model';
import type { PrismaClient } from './generated/prisma/client';
import { uuidOrNone } from './ids';
import { normalisePhone } from './phone';

const MAX_ADDRESSES = 50;
const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** ISO 3166-1 alpha-2: two letters that name a region (Intl echoes unknown codes back). */
const country = z
  .string()
  .trim()
  .toUpperCase()
  .refine((code) => /^[A-Z]{2}$/.test(code) && regionNames.of(code) !== code, 'Give an ISO 3166-1 alpha-2 country code, e.g. DE.');

const addressSchema = z.object({
  name: z.string().trim().min(1, 'Give a name.').max(200),
  line1: z.string().trim().min(1, 'Give the street and number.').max(200),
  line2: z.string().trim().max(200).nullish(),
  city: z.string().trim().min(1, 'Give a city.').max(100),
  postalCode: z.string().trim().min(1, 'Give a postal code.').max(20),
  country,
  phone: z.string().trim().max(30).nullish(),
});

/** A customer's addresses: only their owner reads or changes them (SEC-3, SEC-8). */
export class AddressService {
  constructor(private readonly db: PrismaClient) {}

  async list(accountId: string): Promise<AddressView[]> {
    const rows = await this.db.address.findMany({ where: { accountId: uuidOrNone(accountId) }, orderBy: { createdAt: 'asc' } });
    return rows.map(toAddressView);
  }

  /** Adds an address; the first one becomes the default. */
  async add(accountId: string, input: unknown): Promise<AddressView> {
    const data = this.validated(input);
    const account = await this.db.account.findUnique({ where: { id: uuidOrNone(accountId) } });
    if (!account || account.deletedAt) throw notFound('No such account.');
    const count = await this.db.address.count({ where: { accountId } });
    if (count >= MAX_ADDRESSES) throw badUserInput('input', `At most ${MAX_ADDRESSES} addresses per customer.`);
    return toAddressView(await this.db.address.create({ data: { ...data, accountId, isDefault: count === 0 } }));
  }

  /** Changes the caller's address; another customer's answers NOT_FOUND, like a missing one. */
  async update(accountId: string, id: string, input: unknown): Promise<AddressView> {
    const data = this.validated(input);
    const { count } = await this.db.address.updateMany({ where: { id: uuidOrNone(id), accountId: uuidOrNone(accountId) }, data });
    if (count === 0) throw notFound('No such address.');
    return toAddressView(await this.db.address.findUniqueOrThrow({ where: { id } }));
  }

  async remove(accountId: string, id: string): Promise<void> {
    const { count } = await this.db.address.deleteMany({ where: { id: uuidOrNone(id), accountId: uuidOrNone(accountId) } });
    if (count === 0) throw notFound('No such address.');
  }

  private validated(input: unknown) {
    const address = parseInput(addressSchema, input, 'input');
    return { ...address, line2: address.line2 ?? '', phone: address.phone ? normalisePhone(address.phone, 'input.phone') : null };
  }
}
