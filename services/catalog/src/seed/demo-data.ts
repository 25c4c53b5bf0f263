/** The demo catalogue: families of products sharing a category, variant axes and a price band. */
export interface DemoFamily {
  readonly category: string;
  readonly names: readonly string[];
  readonly description: string;
  readonly keywords: readonly string[];
  /** Price of the first product in EUR cents; each further product costs a little more. */
  readonly basePriceCents: number;
  readonly weightGrams: number;
  /** Variant axes, e.g. colour × size; a family without axes has one "Standard" variant. */
  readonly axes: Readonly<Record<string, readonly string[]>>;
}

/** Categories as [slug, name, parent slug]. */
export const DEMO_CATEGORIES: readonly (readonly [string, string, string | null])[] = [
  ['apparel', 'Apparel', null],
  ['t-shirts', 'T-Shirts', 'apparel'],
  ['sweaters', 'Sweaters', 'apparel'],
  ['outerwear', 'Outerwear', 'apparel'],
  ['footwear', 'Footwear', null],
  ['home', 'Home & Kitchen', null],
  ['electronics', 'Electronics Accessories', null],
  ['books', 'Books', null],
  ['outdoor', 'Outdoor', null],
];

export const DEMO_FAMILIES: readonly DemoFamily[] = [
  {
    category: 't-shirts',
    names: ['Organic Cotton Crew Tee', 'Heavyweight Pocket Tee', 'Linen Blend Tee', 'Striped Breton Tee', 'Slub Cotton V-Neck', 'Long Sleeve Henley', 'Merino Travel Tee'],
    description: 'A soft everyday tee cut from breathable fabric, pre-shrunk and garment dyed for a lived-in feel.',
    keywords: ['tee', 't-shirt', 'cotton', 'casual'],
    basePriceCents: 1990,
    weightGrams: 180,
    axes: { colour: ['white', 'black', 'navy'], size: ['S', 'M', 'L', 'XL'] },
  },
  {
    category: 'sweaters',
    names: ['Merino Crew Sweater', 'Chunky Fisherman Knit', 'Cashmere V-Neck', 'Cotton Cable Cardigan', 'Lambswool Quarter Zip', 'Alpaca Roll Neck'],
    description: 'A warm knit in natural fibres that keeps its shape wash after wash; ribbed cuffs and hem.',
    keywords: ['sweater', 'knit', 'wool', 'winter'],
    basePriceCents: 6900,
    weightGrams: 420,
    axes: { colour: ['oatmeal', 'charcoal', 'forest'], size: ['S', 'M', 'L'] },
  },
  {
    category: 'outerwear',
    names: ['Waxed Cotton Jacket', 'Packable Down Vest', 'Wool Overcoat', 'Waterproof Shell Parka', 'Quilted Field Jacket'],
    description: 'Weatherproof outer layer with taped seams, a two-way zip and deep hand-warmer pockets.',
    keywords: ['jacket', 'coat', 'rain', 'outerwear'],
    basePriceCents: 14900,
    weightGrams: 950,
    axes: { colour: ['olive', 'black'], size: ['S', 'M', 'L', 'XL'] },
  },
  {
    category: 'footwear',
    names: ['Leather Chelsea Boot', 'Canvas Low-Top Sneaker', 'Suede Desert Boot', 'Trail Running Shoe', 'Wool Slipper', 'Leather Loafer'],
    description: 'Comfortable footwear on a cushioned sole, built to be resoled and worn for years.',
    keywords: ['shoes', 'boots', 'sneakers', 'footwear'],
    basePriceCents: 8900,
    weightGrams: 1100,
    axes: { size: ['40', '41', '42', '43', '44', '45'] },
  },
  {
    category: 'home',
    names: ['Cast Iron Skillet', 'Enamel Dutch Oven', 'Stoneware Mug Set', 'Linen Tea Towels', 'Chef Knife 20 cm', 'Walnut Cutting Board', 'Pour-Over Coffee Kettle', 'Glass Storage Jars'],
    description: 'Kitchen essentials made to last: solid materials, honest construction, easy to care for.',
    keywords: ['kitchen', 'cookware', 'home', 'gift'],
    basePriceCents: 2490,
    weightGrams: 1600,
    axes: {},
  },
  {
    category: 'electronics',
    names: ['USB-C Fast Charger 65 W', 'Braided USB-C Cable 2 m', 'Wireless Charging Pad', 'Noise Cancelling Earbuds', 'Bluetooth Speaker Mini', 'Laptop Stand Aluminium', 'Mechanical Keyboard', 'Portable Power Bank 20000 mAh'],
    description: 'Reliable accessories for phones and laptops, certified for safety and backed by a two-year warranty.',
    keywords: ['usb-c', 'charger', 'audio', 'accessories'],
    basePriceCents: 1490,
    weightGrams: 250,
    axes: { colour: ['graphite', 'silver'] },
  },
  {
    category: 'books',
    names: ['The Pragmatic Kitchen', 'Field Guide to Mushrooms', 'A Short History of Maps', 'Designing Data Systems', 'Sourdough Every Day', 'Walking the Alps'],
    description: 'A well-made book printed on recycled paper with a sewn binding that lies flat.',
    keywords: ['book', 'reading', 'gift'],
    basePriceCents: 1990,
    weightGrams: 600,
    axes: { format: ['hardcover', 'paperback'] },
  },
  {
    category: 'outdoor',
    names: ['Two-Person Tent', 'Down Sleeping Bag', 'Insulated Water Bottle', 'Trekking Poles', 'Camping Stove', 'Headlamp 400 lm', 'Daypack 25 L', 'Merino Hiking Socks'],
    description: 'Dependable outdoor gear, light enough to carry far and tough enough for every season.',
    keywords: ['camping', 'hiking', 'outdoor', 'travel'],
    basePriceCents: 2990,
    weightGrams: 800,
    axes: { colour: ['sand', 'slate'] },
  },
];
