/** One seeded zone with its methods' weight bands (prices as decimal strings in the method's currency). */
export interface SeedZone {
  readonly name: string;
  readonly countries: readonly string[];
  readonly postalPrefixes: readonly string[];
  /** Per method code: bands by upper weight bound (null: open-ended), and an optional free-from subtotal. */
  readonly rates: Readonly<Record<string, { readonly bands: readonly { readonly maxWeightGrams: number | null; readonly price: string }[]; readonly freeFrom?: string }>>;
}

/** The methods the demo shop starts with. */
export const DEFAULT_METHODS = [
  { code: 'STANDARD', name: 'Standard', currency: 'EUR' },
  { code: 'EXPRESS', name: 'Express', currency: 'EUR' },
] as const;

/** The demo shop's zones and rates: data for the seed, editable by staff afterwards. */
export const DEFAULT_ZONES: readonly SeedZone[] = [
  {
    name: 'Germany',
    countries: ['DE'],
    postalPrefixes: [],
    rates: {
      STANDARD: { bands: [{ maxWeightGrams: 2000, price: '4.90' }, { maxWeightGrams: 10000, price: '6.90' }, { maxWeightGrams: null, price: '12.90' }], freeFrom: '50.00' },
      EXPRESS: { bands: [{ maxWeightGrams: 5000, price: '12.90' }, { maxWeightGrams: null, price: '19.90' }] },
    },
  },
  {
    name: 'German islands',
    countries: ['DE'],
    postalPrefixes: ['18565', '25845', '25846', '25847', '25849', '25859', '25863', '25869', '25938', '25946', '25980', '25992', '25996', '25997', '25999', '26465', '26474', '26486', '26548', '26571', '26579', '26757', '27498'],
    rates: { STANDARD: { bands: [{ maxWeightGrams: null, price: '14.90' }] } },
  },
  {
    name: 'EU neighbours',
    countries: ['FR', 'NL', 'AT', 'BE', 'LU', 'DK', 'PL', 'CZ'],
    postalPrefixes: [],
    rates: {
      STANDARD: { bands: [{ maxWeightGrams: 2000, price: '9.90' }, { maxWeightGrams: null, price: '16.90' }], freeFrom: '100.00' },
      EXPRESS: { bands: [{ maxWeightGrams: null, price: '24.90' }] },
    },
  },
  {
    name: 'United States',
    countries: ['US'],
    postalPrefixes: [],
    rates: {
      STANDARD: { bands: [{ maxWeightGrams: 2000, price: '19.90' }, { maxWeightGrams: null, price: '34.90' }] },
      EXPRESS: { bands: [{ maxWeightGrams: null, price: '49.90' }] },
    },
  },
];
