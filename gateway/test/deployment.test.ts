import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { eventBusEnv, rateLimitEnv } from '@shop/platform';
import { JWKS_PATH } from '@shop/accounts';
import { SUBGRAPHS } from '../src';

const repoRoot = path.join(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(repoRoot, file), 'utf8');

/** Every process's config file: the gateway, the launcher and each service that has one. */
function configFiles(): string[] {
  return [
    'gateway/src/config.ts',
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
}

/** Every variable a config schema declares: the UPPER_CASE keys of its zod object, and of the platform fragments spread into it. */
function declaredVariables(): Set<string> {
  const names = new Set<string>([...Object.keys(eventBusEnv), ...Object.keys(rateLimitEnv)]);
  for (const file of configFiles()) for (const match of read(file).matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)) names.add(match[1] ?? '');
  for (const subgraph of SUBGRAPHS) names.add(`${subgraph.name.toUpperCase()}_URL`);
  return names;
}

test('SEC-5: .env.example documents every variable every service reads', () => {
  expect(configFiles()).toEqual(expect.arrayContaining(['services/embedded/src/config.ts', ...SUBGRAPHS.map((subgraph) => `services/${subgraph.name}/src/config.ts`)]));
  const documented = new Set([...read('.env.example').matchAll(/^([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]));
  const missing = [...declaredVariables()].filter((name) => !documented.has(name));
  expect(missing).toEqual([]);
});

/** Where a subgraph listens inside a cluster: its service name and its default port. */
const inCluster = (name: string, port: string, pathname: string) => `http://${name}:${port}${pathname}`;
const portOf = (subgraph: (typeof SUBGRAPHS)[number]) => new URL(subgraph.defaultUrl).port;

interface ComposeService {
  environment?: Record<string, string>;
  command?: string[];
  depends_on?: Record<string, unknown>;
}

test('docker-compose.yml runs every subgraph with its migrations, database and topics, and the gateway knows where each one is', () => {
  const compose = parse(read('docker-compose.yml')) as { services: Record<string, ComposeService> };
  const gateway = compose.services.gateway;
  for (const subgraph of SUBGRAPHS) {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining([subgraph.name, `${subgraph.name}-migrate`]));
    expect(gateway?.environment?.[`${subgraph.name.toUpperCase()}_URL`]).toBe(inCluster(subgraph.name, portOf(subgraph), '/graphql'));
    expect(Object.keys(gateway?.depends_on ?? {})).toContain(subgraph.name);
    expect(compose.services[`${subgraph.name}-migrate`]?.environment?.DATABASE_URL).toContain(`/shop_${subgraph.name}`);
    expect(read('deploy/postgres-init.sql')).toContain(`CREATE DATABASE shop_${subgraph.name};`);
    expect(compose.services['kafka-topics']?.command?.join(' ')).toContain(`${subgraph.name}.events:`);
  }
  expect(gateway?.environment?.JWT_JWKS_URL).toBe(inCluster('accounts', '4002', JWKS_PATH));
});

test('deploy/k8s has a Deployment and a Service for the gateway and every subgraph, a migration Job and an events topic for each subgraph', () => {
  const documentsOf = (name: string) =>
    read(`deploy/k8s/${name}.yaml`)
      .split(/^---$/m)
      .map((text) => parse(text) as { kind: string; metadata: { name: string } });
  for (const name of ['gateway', ...SUBGRAPHS.map((subgraph) => subgraph.name)]) {
    expect(documentsOf(name).filter((doc) => doc.metadata.name === name).map((doc) => doc.kind).sort()).toEqual(['Deployment', 'Service']);
  }
  const topics = (parse(read('deploy/kafka-topics.yaml')) as { topics: { name: string }[] }).topics.map((topic) => topic.name);
  for (const subgraph of SUBGRAPHS) {
    expect(documentsOf(subgraph.name).find((doc) => doc.metadata.name === `${subgraph.name}-migrate`)?.kind).toBe('Job');
    expect(topics).toContain(`${subgraph.name}.events`);
  }
  const gateway = read('deploy/k8s/gateway.yaml');
  for (const subgraph of SUBGRAPHS) expect(gateway).toContain(`value: ${inCluster(subgraph.name, portOf(subgraph), '/graphql')}`);
  expect(gateway).toContain(`value: ${inCluster('accounts', '4002', JWKS_PATH)}`);
});
