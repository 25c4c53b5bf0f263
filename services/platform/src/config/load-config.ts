import { z } from 'zod';
import { logger } from '../logging/logger';

/** The environment a process runs in; production turns on every strict check. */
export const nodeEnv = z.enum(['development', 'test', 'production']).default('development');

const PLACEHOLDERS = new Set(['changeme', 'change-me', 'secret', 'password', 'placeholder', 'todo', 'xxx', 'example', 'default', 'test']);
const MIN_SECRET_BYTES = 32;

/** Why a secret is unfit for production, or null when it is fine. */
export function secretProblem(value: string | undefined): string | null {
  if (!value) return 'is missing';
  const lower = value.toLowerCase();
  if (PLACEHOLDERS.has(lower) || /change.?me|replace.?me|dev-only|insecure/.test(lower)) return 'is a placeholder';
  if (Buffer.byteLength(value) < MIN_SECRET_BYTES) return `is shorter than ${MIN_SECRET_BYTES} bytes`;
  return null;
}

/** Options of `loadConfig`. */
export interface LoadConfigOptions<Shape extends z.ZodRawShape> {
  /** The service, for the error line. */
  readonly service: string;
  /** Every variable the service reads, with its type and default. */
  readonly schema: z.ZodObject<Shape>;
  /** Variables that hold secrets: in production they must be present and not placeholders. */
  readonly secrets?: readonly (keyof Shape & string)[];
  /** Where to read from; the process environment unless a launcher passes its own. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** A configuration problem that must stop the process before it serves anything. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Reads and validates a service's settings. This module is the only code that reads
 * `process.env`; everything else receives typed config. Fails with one line naming the variable.
 */
export function loadConfig<Shape extends z.ZodRawShape>(options: LoadConfigOptions<Shape>): z.infer<z.ZodObject<Shape>> {
  const env = options.env ?? process.env;
  const parsed = options.schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = issue ? String(issue.path[0] ?? '') : '';
    throw new ConfigError(`${options.service}: invalid configuration: ${name} ${issue?.message ?? ''}`.trim());
  }
  if (env.NODE_ENV === 'production') {
    for (const name of options.secrets ?? []) {
      const problem = secretProblem(env[name]);
      if (problem) throw new ConfigError(`${options.service}: ${name} ${problem}; set a random secret of at least ${MIN_SECRET_BYTES} bytes`);
    }
  }
  if (typeof env.LOG_LEVEL === 'string') logger.level = env.LOG_LEVEL;
  return parsed.data;
}

/** Reads the process environment as is (for launchers that pass a modified copy to `loadConfig`). */
export function processEnv(): Readonly<Record<string, string | undefined>> {
  return process.env;
}

/**
 * Entry points call this around start-up: a configuration problem prints one clear line and
 * exits with status 1 instead of a stack trace.
 */
export async function exitOnConfigError<T>(start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`FATAL ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/** zod helpers for the shapes every config repeats. */
export const env = {
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  positiveInt: (fallback: number) => z.coerce.number().int().positive().default(fallback),
  url: () => z.url(),
  optionalUrl: () => z.union([z.url(), z.literal('').transform(() => undefined)]).optional(),
  bool: (fallback: boolean) =>
    z.enum(['true', 'false', '1', '0']).default(fallback ? 'true' : 'false').transform((v) => v === 'true' || v === '1'),
  logLevel: () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** A variable holding a JSON document, parsed and then checked against `shape`. */
  json: <Shape extends z.ZodType>(shape: Shape) =>
    z
      .string()
      .transform((text, ctx): unknown => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'is not JSON' });
          return z.NEVER;
        }
      })
      .pipe(shape),
};
