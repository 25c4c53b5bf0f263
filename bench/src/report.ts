import { p50Of, type Check } from './checks';
import type { CheckoutResults } from './checkout-phase';
import type { EventCheck } from './event-checks';
import type { EventsResults } from './events-phase';
import type { LoadResults } from './load-phase';
import type { RunSummary } from './load-run';
import type { MemoryResults } from './memory';
import type { SignInResults } from './sign-in-phase';
import type { StatementResults } from './statement-phase';

/** Where and how the bench ran. */
export interface BenchMeta {
  readonly date: string;
  readonly nproc: number;
  readonly cpu: string;
  readonly node: string;
  readonly platform: string;
  /** 1-minute load average when the bench started: other work on the machine skews every figure. */
  readonly loadAverageAtStart: number;
  readonly durationSeconds: number;
  readonly connections: number;
  readonly warmupSeconds: number;
  readonly latencySeconds: number;
}

/** Everything one bench run found: written as JSON and rendered as tables. */
export interface BenchResults {
  readonly meta: BenchMeta;
  readonly load: LoadResults;
  readonly statements: StatementResults;
  readonly memory: MemoryResults;
  readonly signIn: SignInResults;
  readonly checkout: CheckoutResults;
  readonly checks: readonly Check[];
  readonly events: EventsResults;
  readonly eventChecks: readonly EventCheck[];
  readonly problems: readonly string[];
}

/** A titled table: header row then body rows. */
export interface Table {
  readonly title: string;
  readonly rows: readonly (readonly string[])[];
}

const fixed = (value: number, digits = 0) => value.toFixed(digits);
const runRow = (run: RunSummary) => [
  run.target,
  String(run.connections),
  fixed(run.requestsPerSecond),
  run.exactP50Ms === undefined ? '-' : fixed(run.exactP50Ms, 2),
  fixed(run.latencyP50Ms),
  fixed(run.latencyP99Ms),
  `${run.non2xx}/${run.errors}/${run.timeouts}`,
];

/** The results as tables, in the order they are printed. */
export function resultTables(results: BenchResults): Table[] {
  const { load, statements, memory } = results;
  const memoryRow = (name: string, figure: MemoryResults['bench']) => [name, String(figure.processes), fixed(figure.rssMb, 1), fixed(figure.peakRssMb, 1)];
  return [
    {
      title: `Load (${results.meta.warmupSeconds} s warm-up before each run; throughput ${results.meta.durationSeconds} s, latency ${results.meta.latencySeconds} s)`,
      rows: [
        ['target', 'conn.', 'req/s', 'p50 exact ms', 'p50 ms (autocannon)', 'p99 ms', 'non-2xx/err/timeouts'],
        ...[load.gateway, load.direct, load.bare, load.gatewaySingle, load.directSingle].map(runRow),
      ],
    },
    {
      title: `Catalog SQL statements per request (cache off, ${statements.productsCreated} products added; idle drift ${statements.idleDrift})`,
      rows: [['path', 'operation', 'statements'], ...statements.counts.map((count) => [count.path, count.operation, String(count.statements)])],
    },
    {
      title: 'Memory after the load runs (RSS, MB)',
      rows: [
        ['processes', 'count', 'RSS MB', 'peak MB'],
        memoryRow('shop Node process(es)', memory.shopNode),
        memoryRow('embedded PostgreSQL tree', memory.postgres),
        memoryRow('bare server', memory.bareServer),
        memoryRow('bench (autocannon)', memory.bench),
      ],
    },
    {
      title: `Targets (added p50 = ${fixed(p50Of(load.gatewaySingle), 2)} − ${fixed(p50Of(load.directSingle), 2)} ms, exact medians at 1 connection)`,
      rows: [['check', 'value', 'target', 'result'], ...results.checks.map((check) => [check.name, `${check.value}${check.unit ? ` ${check.unit}` : ''}`, check.target, check.pass ? 'pass' : 'FAIL'])],
    },
  ];
}

/** A table as aligned plain text. */
export function plainTable(table: Table): string {
  const widths = (table.rows[0] ?? []).map((_, column) => Math.max(...table.rows.map((row) => (row[column] ?? '').length)));
  const line = (row: readonly string[]) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  const [header, ...body] = table.rows;
  return [table.title, line(header ?? []), widths.map((width) => '-'.repeat(width)).join('  '), ...body.map(line)].join('\n');
}

/** A table as markdown. */
export function markdownTable(table: Table): string {
  const line = (row: readonly string[]) => `| ${row.join(' | ')} |`;
  const [header, ...body] = table.rows;
  return [`### ${table.title}`, '', line(header ?? []), line((header ?? []).map(() => '---')), ...body.map(line)].join('\n');
}
