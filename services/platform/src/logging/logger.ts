import pino from 'pino';
import { currentCorrelationId } from './correlation';
import { currentTraceIds } from '../tracing/tracing';

/** The logger type services receive. */
export type Logger = pino.Logger;

/**
 * One pino JSON logger for the process; every line carries the current correlation id (PLAT-2) and,
 * when tracing is on, the trace and span ids (PLAT-3).
 * Services take a child with their name. Secrets never reach a line: known fields are redacted.
 */
export const logger: Logger = pino({
  level: 'info',
  base: undefined,
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
  mixin: () => {
    const correlationId = currentCorrelationId();
    const ids = currentTraceIds();
    return { ...(correlationId ? { correlationId } : {}), ...ids };
  },
  redact: {
    paths: ['req.headers.authorization', 'headers.authorization', '*.password', '*.token', '*.secret'],
    censor: '[redacted]',
  },
});

/** A logger for one service, naming it on every line. */
export function serviceLogger(service: string): Logger {
  return logger.child({ service });
}
