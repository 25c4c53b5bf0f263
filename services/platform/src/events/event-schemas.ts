import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import type { EventEnvelope } from './envelope';

/** Where the event contracts live: `schemas/events/<Type>.v<version>.json` and `envelope.json`. */
export const EVENT_SCHEMA_DIR = path.join(__dirname, '../../../../schemas/events');

/** An event that breaks its contract: never published, never handled. */
export class EventContractError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventContractError';
  }
}

const FILE_NAME = /^([A-Z][A-Za-z]+)\.v(\d+)\.json$/;

/**
 * The JSON Schemas of every event type and version, checked with ajv on publish and on consume,
 * so a producer and its consumers can only disagree loudly.
 */
export class EventSchemas {
  private readonly envelope: ValidateFunction;
  private readonly payloads = new Map<string, ValidateFunction>();

  constructor(directory = EVENT_SCHEMA_DIR) {
    const ajv = new Ajv({ allErrors: false, strict: true });
    const read = (file: string) => JSON.parse(readFileSync(path.join(directory, file), 'utf8')) as object;
    this.envelope = ajv.compile(read('envelope.json'));
    for (const file of readdirSync(directory)) {
      const match = FILE_NAME.exec(file);
      if (match) this.payloads.set(`${match[1]}.v${match[2]}`, ajv.compile(read(file)));
    }
  }

  /** Whether a schema exists for this type and version. */
  has(type: string, version: number): boolean {
    return this.payloads.has(`${type}.v${version}`);
  }

  /** Every known `Type.vN`. */
  known(): string[] {
    return [...this.payloads.keys()].sort();
  }

  /** Throws an EventContractError naming the first problem. */
  validate(envelope: EventEnvelope): void {
    if (!this.envelope(envelope)) throw new EventContractError(`envelope invalid: ${describe(this.envelope)}`);
    const payload = this.payloads.get(`${envelope.type}.v${envelope.version}`);
    if (!payload) throw new EventContractError(`no schema for ${envelope.type} v${envelope.version} in schemas/events`);
    if (!payload(envelope.payload)) throw new EventContractError(`${envelope.type} v${envelope.version} payload invalid: ${describe(payload)}`);
  }
}

function describe(validate: ValidateFunction): string {
  const error = validate.errors?.[0];
  return error ? `${error.instancePath || '/'} ${error.message ?? ''}`.trim() : 'unknown';
}
