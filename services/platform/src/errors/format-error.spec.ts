import { randomBytes } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import { buildSchema, GraphQLError } from 'graphql';
import type { GraphQLFormattedError } from 'graphql';
import { z } from 'zod';
import { logger } from '../logging/logger';
import { BusinessError, defineErrors } from './business-error';
import { formatError } from './format-error';
import { parseInput } from './parse-input';

/** Codes are global, so every registry in this file gets names no other spec uses. */
const suffix = randomBytes(4).toString('hex').toUpperCase();
const OUT_OF_STOCK = `FMT_OUT_OF_STOCK_${suffix}`;
const PAYMENT_DECLINED = `FMT_PAYMENT_DECLINED_${suffix}`;
const Errors = defineErrors({
  [OUT_OF_STOCK]: { retryable: false, message: 'Not enough stock.' },
  [PAYMENT_DECLINED]: { retryable: true, message: 'The payment provider declined; try again.' },
});

const SQL_MESSAGE = 'relation "users" violates constraint: SELECT * FROM users WHERE password_hash = $1';

/** What graphql-js and Apollo report for an error at `path` (before formatError). */
function formattedOf(error: GraphQLError): GraphQLFormattedError {
  return error.toJSON();
}

let logError: jest.SpyInstance;
beforeEach(() => {
  logError = jest.spyOn(logger, 'error').mockImplementation(() => undefined);
});
afterEach(() => logError.mockRestore());

describe('formatError', () => {
  test('PLAT-1: a BusinessError passes with its message, code, retryable and details', () => {
    const error = Errors.create(OUT_OF_STOCK, { field: 'input.lines.0.quantity', message: 'Only 2 left.' });
    const result = formatError(formattedOf(new GraphQLError(error.message, { path: ['checkout'] })), error);
    expect(result).toEqual({
      message: 'Only 2 left.',
      path: ['checkout'],
      extensions: { code: OUT_OF_STOCK, retryable: false, field: 'input.lines.0.quantity' },
    });
    const retryable = Errors.create(PAYMENT_DECLINED);
    expect(formatError({ message: retryable.message }, retryable).extensions).toEqual({ code: PAYMENT_DECLINED, retryable: true });
    expect(logError).not.toHaveBeenCalled();
  });

  test('PLAT-1: a BusinessError wrapped by graphql-js (originalError), even twice, passes the same way', () => {
    const error = Errors.create(OUT_OF_STOCK, { field: 'input.sku' });
    const once = new GraphQLError(error.message, { path: ['checkout'], originalError: error });
    const twice = new GraphQLError('wrapped again', { path: ['checkout'], originalError: once });
    for (const wrapped of [once, twice]) {
      const result = formatError({ ...formattedOf(wrapped), extensions: { code: 'INTERNAL_SERVER_ERROR' } }, wrapped);
      expect(result.message).toBe('Not enough stock.');
      expect(result.extensions).toEqual({ code: OUT_OF_STOCK, retryable: false, field: 'input.sku' });
    }
  });

  test('PLAT-1, SEC-6: an unexpected Error is masked: no message, stack, exception or SQL reaches the client, and it is logged in full', () => {
    const internal = new Error(SQL_MESSAGE);
    const wrapped = new GraphQLError(internal.message, { path: ['orders', 0, 'total'], originalError: internal });
    const formatted: GraphQLFormattedError = {
      ...formattedOf(wrapped),
      extensions: { stacktrace: (internal.stack ?? '').split('\n'), exception: { stacktrace: internal.stack } },
    };
    const result = formatError(formatted, wrapped);
    expect(result.message).toBe('Internal server error');
    expect(result.path).toEqual(['orders', 0, 'total']);
    expect(result.extensions).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', retryable: true });
    const json = JSON.stringify(result);
    for (const leak of ['SELECT', 'users', 'password_hash', 'stacktrace', 'exception', ' at ', '.ts:']) expect(json).not.toContain(leak);
    expect(logError).toHaveBeenCalledWith(expect.objectContaining({ err: internal }), expect.any(String));
  });

  // Apollo gives every unexpected error the code INTERNAL_SERVER_ERROR before formatError sees it,
  // so a formatter that trusts known codes would pass the raw message through.
  test('PLAT-1, SEC-6: through a real Apollo Server an unexpected resolver Error is masked (no SQL in the response)', async () => {
    const server = new ApolloServer({
      schema: buildSchema('type Query { orders: String }'),
      rootValue: {
        orders: () => {
          throw new Error(SQL_MESSAGE);
        },
      },
      formatError,
      includeStacktraceInErrorResponses: true,
    });
    await server.start();
    try {
      const response = await server.executeOperation({ query: '{ orders }' });
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      const [error] = response.body.singleResult.errors ?? [];
      expect(error?.message).toBe('Internal server error');
      expect(error?.extensions).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', retryable: true });
      expect(JSON.stringify(response.body.singleResult)).not.toContain('SELECT');
      expect(JSON.stringify(response.body.singleResult)).not.toContain('stacktrace');
      expect(logError).toHaveBeenCalledWith(expect.objectContaining({ err: expect.objectContaining({ message: SQL_MESSAGE }) }), expect.any(String));
    } finally {
      await server.stop();
    }
  });

  test('PLAT-1, SEC-6: Apollo request errors (GRAPHQL_VALIDATION_FAILED) pass with their message and code but no stacktrace', async () => {
    const server = new ApolloServer({
      schema: buildSchema('type Query { orders: String }'),
      formatError,
      includeStacktraceInErrorResponses: true,
    });
    await server.start();
    try {
      const response = await server.executeOperation({ query: '{ ordersWithTypo }' });
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      const [error] = response.body.singleResult.errors ?? [];
      expect(error?.message).toContain('ordersWithTypo');
      expect(error?.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', retryable: false });
      expect(JSON.stringify(response.body.singleResult)).not.toContain('stacktrace');
    } finally {
      await server.stop();
    }
  });

  test('SEC-6: a request error formatted with a stacktrace and exception gets both stripped', () => {
    const result = formatError(
      { message: 'Syntax Error: Unexpected "}".', extensions: { code: 'GRAPHQL_PARSE_FAILED', stacktrace: ['GraphQLError: x', '    at parse (/app/node_modules/graphql/parser.js:1:1)'], exception: { x: 1 } } },
      new GraphQLError('Syntax Error: Unexpected "}".'),
    );
    expect(result).toEqual({ message: 'Syntax Error: Unexpected "}".', extensions: { code: 'GRAPHQL_PARSE_FAILED', retryable: false } });
  });
});

describe('defineErrors', () => {
  test('PLAT-1: redeclaring a code with a different retryability is refused; the same meaning is accepted', () => {
    const code = `FMT_REDECLARED_${suffix}`;
    defineErrors({ [code]: { retryable: false, message: 'first' } });
    expect(() => defineErrors({ [code]: { retryable: true, message: 'second' } })).toThrow(code);
    expect(() => defineErrors({ [code]: { retryable: false, message: 'same meaning' } })).not.toThrow();
  });

  test('PLAT-1: create() builds a BusinessError with the registry code, default message and retryable', () => {
    const error = Errors.create(PAYMENT_DECLINED);
    expect(error).toBeInstanceOf(BusinessError);
    expect(error).toMatchObject({ code: PAYMENT_DECLINED, retryable: true, message: 'The payment provider declined; try again.', details: {} });
  });
});

describe('parseInput', () => {
  const schema = z.object({ variants: z.array(z.object({ sku: z.string().min(1), quantity: z.number().int().min(1).max(999) })) });

  test('PLAT-1: a valid input comes back parsed', () => {
    expect(parseInput(schema, { variants: [{ sku: 'A', quantity: 2 }] }, 'input')).toEqual({ variants: [{ sku: 'A', quantity: 2 }] });
  });

  test('PLAT-1: an invalid input is BAD_USER_INPUT naming the field as a dotted path from the root', () => {
    let caught: unknown;
    try {
      parseInput(schema, { variants: [{ sku: 'A', quantity: 2 }, { sku: 'B', quantity: 1000 }] }, 'input');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BusinessError);
    const error = caught as BusinessError;
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.retryable).toBe(false);
    expect(error.details.field).toBe('input.variants.1.quantity');
    expect(error.message).toContain('input.variants.1.quantity');
    expect(formatError({ message: error.message }, error).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.variants.1.quantity' });
  });
});
