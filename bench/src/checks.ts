import type { LoadResults } from './load-phase';
import type { RunSummary } from './load-run';
import type { MemoryResults } from './memory';

/** One figure against its target. */
export interface Check {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly target: string;
  readonly pass: boolean;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The p50 used for the added-latency check: the exact median when collected, else autocannon's. */
export function p50Of(run: RunSummary): number {
  return run.exactP50Ms ?? run.latencyP50Ms;
}

/**
 * The gateway's added p50 in the foundation (commit 74c68be, its bench run of 2026-11-23: 1.53 − 0.48
 * ms), before partners, query and rate limits, security headers, tracing and metrics per client.
 * With every plugin on it must stay within 10% of it (issue 9).
 */
export const FOUNDATION_ADDED_P50_MS = 1.06;
const ADDED_P50_LIMIT_MS = round(FOUNDATION_ADDED_P50_MS * 1.1, 2);

/** The targets: gateway ÷ direct ≥ 0.20, gateway ÷ bare ≥ 0.007, added p50 within 10% of the foundation's, shop Node RSS < 400 MB. */
export function evaluateChecks(load: LoadResults, memory: MemoryResults): Check[] {
  const gatewayVsDirect = load.gateway.requestsPerSecond / load.direct.requestsPerSecond;
  const gatewayVsBare = load.gateway.requestsPerSecond / load.bare.requestsPerSecond;
  const addedP50 = p50Of(load.gatewaySingle) - p50Of(load.directSingle);
  return [
    { name: 'gateway ÷ direct req/s', value: round(gatewayVsDirect, 3), unit: '', target: '≥ 0.20', pass: gatewayVsDirect >= 0.2 },
    { name: 'gateway ÷ bare req/s', value: round(gatewayVsBare, 4), unit: '', target: '≥ 0.007', pass: gatewayVsBare >= 0.007 },
    { name: `gateway added p50, every plugin on (foundation ${FOUNDATION_ADDED_P50_MS} ms)`, value: round(addedP50, 2), unit: 'ms', target: `≤ ${ADDED_P50_LIMIT_MS} ms`, pass: addedP50 <= ADDED_P50_LIMIT_MS },
    { name: 'Node processes of the shop together (RSS)', value: memory.shopNode.rssMb, unit: 'MB', target: '< 400 MB', pass: memory.shopNode.rssMb < 400 },
  ];
}

/** Runs that did not answer 2xx to every request: the bench reports them and exits non-zero. */
export function loadProblems(load: LoadResults): string[] {
  const runs = [load.gateway, load.direct, load.bare, load.gatewaySingle, load.directSingle];
  return runs
    .filter((run) => run.non2xx + run.errors + run.timeouts > 0)
    .map((run) => `${run.target} (${run.connections} conn.): ${run.non2xx} non-2xx, ${run.errors} errors, ${run.timeouts} timeouts`);
}
