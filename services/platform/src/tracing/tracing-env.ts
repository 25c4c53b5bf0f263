import { env } from '../config/load-config';

/** The config fragment every service spreads into its schema. */
export const tracingEnv = {
  /** OTLP/HTTP collector base URL (`/v1/traces` is appended); unset: no spans are recorded. */
  OTEL_EXPORTER_OTLP_ENDPOINT: env.optionalUrl(),
};
