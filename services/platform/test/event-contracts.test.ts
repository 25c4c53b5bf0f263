import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { EventContractError, EventSchemas, type EventEnvelope } from '../src/events';

const repoRoot = path.join(__dirname, '../../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (['node_modules', 'dist', 'generated', 'testing'].includes(name)) return [];
    if (statSync(file).isDirectory()) return sourceFiles(file);
    return /\.ts$/.test(name) && !/\.(spec|test)\.ts$/.test(name) ? [file] : [];
  });
}

/** Every `type: 'Name', version: N` an event builder writes in service code. */
function emittedTypes(): string[] {
  const found = new Set<string>();
  for (const file of sourceFiles(path.join(repoRoot, 'services'))) {
    for (const match of readFileSync(file, 'utf8').matchAll(/type: '([A-Z][A-Za-z]+)',\s*version: (\d+)/g)) found.add(`${match[1]}.v${match[2]}`);
  }
  return [...found].sort();
}

const envelope = (overrides: Partial<EventEnvelope>): EventEnvelope => ({
  id: '0193a0c0-0000-7000-8000-000000000001',
  type: 'ProductArchived',
  version: 1,
  occurredAt: '2026-11-23T12:00:00.000Z',
  source: 'catalog',
  aggregateId: 'p-1',
  correlationId: null,
  causationId: null,
  payload: { productId: 'p-1' },
  ...overrides,
});

describe('event contracts (PLAT-4)', () => {
  const schemas = new EventSchemas();

  test('PLAT-4: every event type the code emits has a JSON Schema in schemas/events', () => {
    const emitted = emittedTypes();
    expect(emitted).toEqual(expect.arrayContaining(['ProductUpdated.v2', 'OrderPlaced.v1', 'StockReserved.v1']));
    expect(emitted.filter((type) => !schemas.known().includes(type))).toEqual([]);
  });

  test('PLAT-4: an envelope with an unknown type, a wrong payload or a broken envelope is refused', () => {
    expect(() => schemas.validate(envelope({}))).not.toThrow();
    expect(() => schemas.validate(envelope({ type: 'ProductTeleported' }))).toThrow(EventContractError);
    expect(() => schemas.validate(envelope({ version: 2 }))).toThrow(/no schema for ProductArchived v2/);
    expect(() => schemas.validate(envelope({ payload: { productId: 7 } }))).toThrow(/payload invalid/);
    expect(() => schemas.validate(envelope({ payload: { productId: 'p-1', extra: true } }))).toThrow(/payload invalid/);
    expect(() => schemas.validate(envelope({ occurredAt: 'yesterday' }))).toThrow(/envelope invalid/);
  });

  test('PLAT-3: an envelope may carry a W3C traceparent, null or none (events from before it), but not a malformed one', () => {
    expect(() => schemas.validate(envelope({ traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }))).not.toThrow();
    expect(() => schemas.validate(envelope({ traceparent: null }))).not.toThrow();
    const writtenBefore = envelope({});
    expect('traceparent' in writtenBefore).toBe(false);
    expect(() => schemas.validate(writtenBefore)).not.toThrow();
    expect(() => schemas.validate(envelope({ traceparent: 'trace-me' }))).toThrow(/envelope invalid: \/traceparent/);
  });
});
