import type { ApolloServerPlugin, BaseContext, GraphQLRequestContext } from '@apollo/server';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Pool } from 'pg';
import { errorCodeOf } from '../errors';
import type { StatementCounter } from '../data/database';
import type { RouteHandler } from './http';

const MAX_OPERATION_LABELS = 200;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const MAX_CLIENT_LABELS = 50;
const CLIENT_NAME = /^[A-Za-z0-9][A-Za-z0-9:._-]{0,63}$/;

/** Options of `createServerMetrics`. */
export interface ServerMetricsOptions {
  /** Names the caller of a request for the `client` label; a subgraph's only caller is the gateway. */
  readonly clientOf?: (request: GraphQLRequestContext<BaseContext>) => string | undefined;
}

/** Caps client-chosen label values: well-formed and at most `max` distinct ones, the rest `other`. */
function cappedLabel(pattern: RegExp, max: number, fallback: string): (value: string | undefined | null) => string {
  const seen = new Set<string>();
  return (value) => {
    if (!value || !pattern.test(value)) return fallback;
    if (seen.has(value)) return value;
    if (seen.size >= max) return 'other';
    seen.add(value);
    return value;
  };
}

/** Prometheus metrics of one server; each has its own registry, as several share a process in embedded mode. */
export interface ServerMetrics {
  readonly registry: Registry;
  /** Apollo plugin recording requests per operation and client, latency per operation and errors per code (PLAT-3). */
  readonly plugin: ApolloServerPlugin<BaseContext>;
  /** Publishes a pg pool's connection counts and the statements it has sent. */
  observePool(pool: Pool, statements: StatementCounter): void;
}

let defaultMetricsRegistered = false;

/** Creates the metrics of the server `service`. Process metrics (memory, event loop) go to the first one. */
export function createServerMetrics(service: string, options: ServerMetricsOptions = {}): ServerMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (!defaultMetricsRegistered) {
    collectDefaultMetrics({ register: registry });
    defaultMetricsRegistered = true;
  }
  const requests = new Counter({ name: 'graphql_requests_total', help: 'GraphQL requests by operation and client', labelNames: ['operation', 'client'], registers: [registry] });
  const latency = new Histogram({
    name: 'graphql_request_duration_seconds',
    help: 'GraphQL request latency by operation',
    labelNames: ['operation'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const errors = new Counter({ name: 'graphql_errors_total', help: 'GraphQL errors by code', labelNames: ['code'], registers: [registry] });
  const pools: Pool[] = [];
  const counters: StatementCounter[] = [];
  new Counter({
    name: 'db_statements_total',
    help: 'SQL statements sent to the database',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(counters.reduce((total, counter) => total + counter.count, 0));
    },
  });
  /** Client-chosen names must not grow the label set without bound. */
  const operationLabel = cappedLabel(OPERATION_NAME, MAX_OPERATION_LABELS, 'anonymous');
  const clientLabel = cappedLabel(CLIENT_NAME, MAX_CLIENT_LABELS, 'other');
  new Gauge({
    name: 'db_pool_connections',
    help: 'Database pool connections by state',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const sum = (pick: (pool: Pool) => number) => pools.reduce((total, pool) => total + pick(pool), 0);
      this.set({ state: 'total' }, sum((pool) => pool.totalCount));
      this.set({ state: 'idle' }, sum((pool) => pool.idleCount));
      this.set({ state: 'waiting' }, sum((pool) => pool.waitingCount));
    },
  });

  const plugin: ApolloServerPlugin<BaseContext> = {
    async requestDidStart() {
      const stopTimer = latency.startTimer();
      return {
        async willSendResponse(requestContext) {
          // The name the document gives its operation, which clients need not repeat in `operationName`.
          const operation = operationLabel(requestContext.operationName ?? requestContext.request.operationName);
          requests.inc({ operation, client: clientLabel(options.clientOf ? options.clientOf(requestContext) : 'gateway') });
          stopTimer({ operation });
        },
        async didEncounterErrors({ errors: list }) {
          for (const error of list) errors.inc({ code: errorCodeOf(error) });
        },
      };
    },
  };
  return {
    registry,
    plugin,
    observePool: (pool, statements) => {
      pools.push(pool);
      counters.push(statements);
    },
  };
}

/** The `/metrics` route: the registry in Prometheus text format. */
export function metricsRoute(metrics: ServerMetrics): RouteHandler {
  return async (_req, res) => {
    res.writeHead(200, { 'content-type': metrics.registry.contentType });
    res.end(await metrics.registry.metrics());
  };
}
