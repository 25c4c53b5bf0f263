/** What a client may learn about an expected business outcome. */
export interface ErrorSpec {
  /** Whether repeating the same request later can succeed. */
  readonly retryable: boolean;
  /** Default message; a raise may replace it with a more precise one. */
  readonly message: string;
}

/** Details a business error may carry to the client (all of them safe to show). */
export interface ErrorDetails {
  /** The input field at fault, as a dotted path (`input.variants.0.sku`). */
  readonly field?: string;
  /** Seconds until a retry may succeed (rate limits). */
  readonly retryAfter?: number;
  /** Any further safe, client-facing facts (the lines at fault, ...). */
  readonly [key: string]: unknown;
}

/**
 * An expected outcome with a stable `code` from a registry. It crosses every boundary as is:
 * subgraph to gateway to client, with `code`, `retryable` and the details as GraphQL extensions.
 */
export class BusinessError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
    this.name = 'BusinessError';
  }
}

const knownCodes = new Map<string, ErrorSpec>();

/** Every code any registry has defined; the error formatter uses it to tell ours from foreign ones. */
export function isKnownErrorCode(code: string): boolean {
  return knownCodes.has(code);
}

/** The error factory a registry returns: `raise` builds the error, the caller throws it. */
export interface ErrorRegistry<Code extends string> {
  readonly codes: readonly Code[];
  create(code: Code, details?: ErrorDetails & { message?: string }): BusinessError;
}

/**
 * Declares a set of error codes once. Codes are global: declaring the same code twice with a
 * different meaning is a programming error caught at start-up.
 */
export function defineErrors<const Specs extends Record<string, ErrorSpec>>(
  specs: Specs,
): ErrorRegistry<Extract<keyof Specs, string>> {
  for (const [code, spec] of Object.entries(specs)) {
    const existing = knownCodes.get(code);
    if (existing && existing.retryable !== spec.retryable) {
      throw new Error(`error code ${code} is declared twice with different retryability`);
    }
    knownCodes.set(code, spec);
  }
  return {
    codes: Object.keys(specs) as Extract<keyof Specs, string>[],
    create(code, details = {}) {
      const spec = specs[code] as ErrorSpec;
      const { message, ...rest } = details;
      return new BusinessError(code, message ?? spec.message, spec.retryable, rest);
    },
  };
}
