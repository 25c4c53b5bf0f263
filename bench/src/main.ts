import os from 'node:os';
import { startBareServer } from './bare-process';
import { evaluateChecks, loadProblems } from './checks';
import { checkoutTable, runCheckoutPhase } from './checkout-phase';
import { Cleanup } from './cleanup';
import { loadBenchConfig, type BenchConfig } from './config';
import { eventProblems, evaluateEventChecks } from './event-checks';
import { runEventsPhase } from './events-phase';
import { eventTables } from './events-report';
import { runLoadPhase } from './load-phase';
import { measureMemory } from './memory';
import { plainTable, resultTables, type BenchMeta, type BenchResults } from './report';
import { writeResultFiles } from './report-files';
import { startShop } from './shop-process';
import { runSignInPhase, signInTable } from './sign-in-phase';
import { runStatementPhase } from './statement-phase';

const log = (line: string) => process.stdout.write(`${line}\n`);

function meta(config: BenchConfig): BenchMeta {
  return {
    date: new Date().toISOString(),
    nproc: os.availableParallelism(),
    cpu: os.cpus()[0]?.model ?? 'unknown CPU',
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverageAtStart: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
    durationSeconds: config.durationSeconds,
    connections: config.connections,
    warmupSeconds: config.warmupSeconds,
    latencySeconds: config.latencySeconds,
  };
}

/**
 * `npm run bench`: load phase against one embedded shop (default cache) and a bare node:http
 * server, memory readings, then a statement-count phase against a second, short-lived shop with the
 * catalog cache off, then an events phase on two more shops (embedded PostgreSQL bus, Kafka mock).
 * Prints tables and writes bench/results. Resolves with the exit code: 0 when everything ran
 * (whatever the timings), 1 when some request failed under load or some event went missing.
 */
async function main(cleanup: Cleanup): Promise<number> {
  const config = loadBenchConfig();
  const about = meta(config);
  log(`Bench: ${about.nproc} CPU(s), load average ${about.loadAverageAtStart}, Node ${about.node}, ${config.connections} connections, ${config.durationSeconds} s per run`);
  log('Starting the shop (default settings) and the bare server...');
  const shop = await startShop({ config, cleanup, label: 'load' });
  const bare = await startBareServer(cleanup);
  log('Load phase');
  const load = await runLoadPhase(shop, bare, config, cleanup, log);
  const memory = measureMemory(shop.process.pid, bare.process.pid);
  log('Sign-in phase');
  const signIn = await runSignInPhase(shop.gatewayUrl, log);
  log('Checkout phase (hot SKU)');
  const checkout = await runCheckoutPhase(shop, config.durationSeconds, log);
  await bare.process.stop();
  await shop.stop();

  log('Starting a second shop with CATALOG_CACHE_TTL_SECONDS=0 for statement counts...');
  const countingShop = await startShop({ config, cleanup, label: 'statement count', catalogCacheTtlSeconds: 0 });
  const statements = await runStatementPhase(countingShop, log);
  await countingShop.stop();

  log(`Events phase: ${config.eventWrites} price writes on each bus, each bus on a fresh shop...`);
  const events = await runEventsPhase(config, cleanup, log);

  const results: BenchResults = {
    meta: about,
    load,
    statements,
    memory,
    signIn,
    checkout,
    checks: evaluateChecks(load, memory),
    events,
    eventChecks: evaluateEventChecks(events),
    problems: [...loadProblems(load), ...eventProblems(events)],
  };
  log('');
  for (const table of [...resultTables(results), signInTable(results.signIn), checkoutTable(results.checkout), ...eventTables(results.events, results.eventChecks)]) log(`${plainTable(table)}\n`);
  for (const problem of results.problems) log(`PROBLEM: ${problem}`);
  const files = await writeResultFiles(results);
  log(`Results: ${files.json}\n         ${files.markdown}`);
  return results.problems.length > 0 ? 1 : 0;
}

const cleanup = new Cleanup();
cleanup.installHandlers();
main(cleanup).then(
  async (code) => {
    await cleanup.runAll();
    process.exit(code);
  },
  async (error: unknown) => {
    if (cleanup.interruptedBy) return; // the signal handler cleans up and exits
    process.stderr.write(`\nBench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    await cleanup.runAll();
    process.exit(1);
  },
);
