import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { SUBGRAPHS } from '../src';

const repoRoot = path.join(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(repoRoot, file), 'utf8');

/** Every variable a config schema declares: the UPPER_CASE keys of its zod object. */
function declaredVariables(): Set<string> {
  const configs = [
    'gateway/src/config.ts',
    'services/embedded/src/config.ts',
    ...readdirSync(path.join(repoRoot, 'services'))
      .map((name) => `services/${name}/src/config.ts`)
      .filter((file) => {
        try {
          return read(file).length > 0;
        } catch {
          return false;
        }
      }),
  ];
  const names = new Set<string>();
  for (const file of configs) for (const match of read(file).matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)) names.add(match[1] ?? '');
  for (const subgraph of SUBGRAPHS) names.add(`${subgraph.name.toUpperCase()}_URL`);
  return names;
}

test('SEC-5: .env.example documents every variable every service reads', () => {
  const documented = new Set([...read('.env.example').matchAll(/^([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]));
  const missing = [...declaredVariables()].filter((name) => !documented.has(name));
  expect(missing).toEqual([]);
});

test('docker-compose.yml runs every subgraph with its migrations, and the gateway knows where each one is', () => {
  const compose = parse(read('docker-compose.yml')) as { services: Record<string, { environment?: Record<string, string> }> };
  for (const subgraph of SUBGRAPHS) {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining([subgraph.name, `${subgraph.name}-migrate`]));
    expect(compose.services.gateway?.environment?.[`${subgraph.name.toUpperCase()}_URL`]).toBe(`http://${subgraph.name}:4001/graphql`.replace('4001', String(new URL(subgraph.defaultUrl).port)));
  }
  expect(read('deploy/postgres-init.sql')).toContain(`shop_${SUBGRAPHS[0]?.name}`);
});

test('deploy/k8s has a Deployment and a Service for the gateway and every subgraph', () => {
  for (const name of ['gateway', ...SUBGRAPHS.map((subgraph) => subgraph.name)]) {
    const documents = read(`deploy/k8s/${name}.yaml`).split(/^---$/m).map((text) => parse(text) as { kind: string; metadata: { name: string } });
    expect(documents.filter((doc) => doc.metadata.name === name).map((doc) => doc.kind).sort()).toEqual(['Deployment', 'Service']);
  }
});
