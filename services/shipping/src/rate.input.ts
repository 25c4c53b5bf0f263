import { z } from 'zod';

const regions = new Intl.DisplayNames(['en'], { type: 'region' });
const country = z
  .string()
  .trim()
  .transform((code) => code.toUpperCase())
  .refine((code) => /^[A-Z]{2}$/.test(code) && regions.of(code) !== code, 'must be an ISO 3166-1 alpha-2 country code');
/** A zone's or method's id. */
export const idInput = z.uuid();
const id = idInput;
const money = z.object({ amount: z.string().trim().min(1).max(30), currency: z.string().trim().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code') });

/** ShippingZoneInput: a name, at least one country, optional postal-code prefixes (a region). */
export const zoneInput = z.object({
  id: id.nullish(),
  name: z.string().trim().min(1).max(100),
  countries: z.array(country).min(1).max(300),
  postalPrefixes: z.array(z.string().trim().regex(/^[A-Za-z0-9]{1,20}$/, 'letters and digits, 1..20')).max(1000).nullish(),
});

/** ShippingMethodInput: a unique code, a name, one currency. */
export const methodInput = z.object({
  id: id.nullish(),
  code: z.string().trim().regex(/^[A-Z0-9_]{1,64}$/, 'upper-case letters, digits and _'),
  name: z.string().trim().min(1).max(100),
  currency: z.string().trim().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code'),
  active: z.boolean().nullish(),
});

/** setShippingRates' arguments: the weight bands of one method to one zone (contiguous from 0), and an optional free threshold. */
export const ratesInput = z
  .object({
    methodId: id,
    zoneId: id,
    bands: z
      .array(z.object({ maxWeightGrams: z.number().int().min(1).max(1_000_000).nullish(), price: money }))
      .max(50),
    freeFrom: money.nullish(),
  })
  .superRefine((input, ctx) => {
    input.bands.forEach((band, index) => {
      const previous = index > 0 ? input.bands[index - 1]?.maxWeightGrams : 0;
      const last = index === input.bands.length - 1;
      if (band.maxWeightGrams == null && !last) ctx.addIssue({ code: 'custom', path: ['bands', index, 'maxWeightGrams'], message: 'only the last band may be open-ended' });
      if (previous == null || (band.maxWeightGrams != null && band.maxWeightGrams <= previous)) {
        ctx.addIssue({ code: 'custom', path: ['bands', index, 'maxWeightGrams'], message: 'bands must grow: each maxWeightGrams above the one before' });
      }
    });
  });
