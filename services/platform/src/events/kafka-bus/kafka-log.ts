import { logLevel, type LogEntry, type logCreator } from 'kafkajs';
import type { Logger } from '../../logging/logger';

/**
 * Routes kafkajs's own log lines into our pino logger, so broker trouble shows up in the same JSON
 * stream as everything else. Only warnings and errors get through: kafkajs is chatty at info
 * (every join, every connection), which drowns the lines that matter.
 */
export function kafkaLogCreator(log: Logger): logCreator {
  return () =>
    ({ namespace, level, log: entry }: LogEntry) => {
      const { message, timestamp: _timestamp, ...extra } = entry;
      const fields = { kafkajs: namespace, ...extra };
      if (level === logLevel.ERROR) log.error(fields, message);
      else if (level === logLevel.WARN) log.warn(fields, message);
      else log.debug(fields, message);
    };
}

/** The level handed to kafkajs alongside {@link kafkaLogCreator}. */
export const KAFKA_LOG_LEVEL = logLevel.WARN;
