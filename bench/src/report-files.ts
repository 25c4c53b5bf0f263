import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { RESULTS_DIR } from './config';
import { EVENTS_NOTES, eventTables } from './events-report';
import { markdownTable, resultTables, type BenchResults } from './report';
import { checkoutTable } from './checkout-phase';
import { signInTable } from './sign-in-phase';

function markdown(results: BenchResults): string {
  const { meta } = results;
  return [
    '# Shop benchmark: latest run',
    '',
    `Date ${meta.date} · nproc ${meta.nproc} (${meta.cpu}) · Node ${meta.node} · ${meta.platform} · ` +
      `load average at start ${meta.loadAverageAtStart} · ` +
      `${meta.connections} connections for throughput, 1 for latency.`,
    '',
    'The load generator (autocannon) runs in the bench process on the same machine, so it competes with the shop for CPU.',
    '',
    ...resultTables(results).flatMap((table) => [markdownTable(table), '']),
    markdownTable(signInTable(results.signIn)),
    '',
    markdownTable(checkoutTable(results.checkout)),
    '',
    '## Events',
    '',
    EVENTS_NOTES,
    '',
    ...eventTables(results.events, results.eventChecks).flatMap((table) => [markdownTable(table), '']),
    ...(results.problems.length > 0 ? ['## Problems', '', ...results.problems.map((problem) => `- ${problem}`), ''] : []),
  ].join('\n');
}

/** Writes `results/<timestamp>.json` (colons as dashes, for portable file names) and `results/latest.md`. */
export async function writeResultFiles(results: BenchResults): Promise<{ json: string; markdown: string }> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const json = path.join(RESULTS_DIR, `${results.meta.date.replace(/:/g, '-')}.json`);
  const md = path.join(RESULTS_DIR, 'latest.md');
  await writeFile(json, `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(md, markdown(results));
  return { json, markdown: md };
}
