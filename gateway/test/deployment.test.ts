import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { eventBusEnv, rateLimitEnv, subgraphEnv } from '@shop/platform';
import { JWKS_PATH, loadAccountsConfig } from '@shop/accounts';
import { loadCatalogConfig } from '@shop/catalog';
import { loadInventoryConfig } from '@shop/inventory';
import { loadOrdersConfig } from '@shop/orders';
import { loadPaymentsConfig } from '@shop/payments';
import { loadPromotionsConfig } from '@shop/promotions';
import { loadShippingConfig } from '@shop/shipping';
import { loadGatewayConfig, SUBGRAPHS } from '../src';

const repoRoot = path.join(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(repoRoot, file), 'utf8');
const exists = (file: string) => existsSync(path.join(repoRoot, file));

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
  for (const subgraph of SUBGRAPHS) {
    names.add(`${subgraph.name.toUpperCase()}_URL`);
    for (const name of Object.keys(subgraphEnv(subgraph.name.toUpperCase(), 0))) names.add(name);
  }
  return names;
}

test('SEC-5: .env.example documents every variable every service reads', () => {
  expect(configFiles()).toEqual(expect.arrayContaining(['services/embedded/src/config.ts', ...SUBGRAPHS.map((subgraph) => `services/${subgraph.name}/src/config.ts`)]));
  const documented = new Set([...read('.env.example').matchAll(/^([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]));
  const missing = [...declaredVariables()].filter((name) => !documented.has(name));
  expect(missing).toEqual([]);
});

// ---- what each process is ----------------------------------------------------------------------

type Env = Readonly<Record<string, string | undefined>>;

/** Each deployed process's config loader. A new subgraph fails the first test below until it is added here. */
const LOADERS: Readonly<Record<string, (env: Env) => { readonly port: number }>> = {
  gateway: loadGatewayConfig,
  catalog: loadCatalogConfig,
  accounts: loadAccountsConfig,
  inventory: loadInventoryConfig,
  orders: loadOrdersConfig,
  payments: loadPaymentsConfig,
  shipping: loadShippingConfig,
  promotions: loadPromotionsConfig,
};
const PROCESSES = ['gateway', ...SUBGRAPHS.map((subgraph) => subgraph.name)];
const packageDir = (name: string) => (name === 'gateway' ? 'gateway' : `services/${name}`);
const entryFile = (name: string) => `${packageDir(name)}/dist/main.js`;
const hasDatabase = (name: string) => exists(`${packageDir(name)}/prisma/schema.prisma`);
/** The Prisma CLI, run in the service's folder so that its prisma.config.ts applies. */
const MIGRATE_COMMAND = ['node', '../../node_modules/prisma/build/index.js', 'migrate', 'deploy'];

/** The variables a process's config schema reads: every name its loader looks up in the environment it is given. */
function variablesReadBy(name: string): Set<string> {
  const looked = new Set<string>();
  const record = (key: string | symbol) => {
    if (typeof key === 'string' && /^[A-Z][A-Z0-9_]*$/.test(key)) looked.add(key);
  };
  const probe = new Proxy({} as Env, {
    get: (_target, key) => {
      record(key);
      return undefined;
    },
    has: (_target, key) => {
      record(key);
      return false;
    },
  });
  try {
    LOADERS[name]?.(probe);
  } catch {
    // An empty environment is invalid for most; the lookups are what this counts.
  }
  return looked;
}

/** Variables whose values are secrets, or carry one (a database URL's password). */
const isSecretLike = (name: string) => /(_SECRET|_KEYS|_PASSWORD|_TOKEN|DATABASE_URL)$/.test(name);
const hasCredentials = (value: string) => /:\/\/[^/@\s]+:[^/@\s]+@/.test(value);

const STRONG_SECRET = randomBytes(32).toString('hex');
const SIGNING_KEYS = JSON.stringify([{ ...generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }), kid: 'deploy-test' }]);

/** A production-strength stand-in for a value the operator supplies (`${NAME}` in compose, a Secret key in Kubernetes). */
function operatorValue(name: string): string {
  if (name === 'JWT_SIGNING_KEYS') return SIGNING_KEYS;
  if (name.endsWith('DATABASE_URL')) return `postgresql://shop:${STRONG_SECRET}@db.internal:5432/shop`;
  if (name.endsWith('_URL')) return `https://operator.example/${name.toLowerCase()}`;
  return STRONG_SECRET;
}

/** One variable as a manifest sets it, and where its value comes from. */
interface Setting {
  readonly name: string;
  readonly value: string;
  /** Supplied by the operator (`${...}` in compose, a secretKeyRef in Kubernetes), so never committed. */
  readonly fromOperator: boolean;
}

/** What every process's deployment must get right, in compose and in Kubernetes alike. */
function expectProcessSettings(where: string, name: string, settings: readonly Setting[]): { readonly port: number } {
  const names = settings.map((s) => s.name);
  expect({ where, name, duplicates: names.filter((n, i) => names.indexOf(n) !== i) }).toEqual({ where, name, duplicates: [] });
  expect(settings.find((s) => s.name === 'NODE_ENV')?.value).toBe('production');
  const reads = variablesReadBy(name);
  expect({ where, name, unread: names.filter((n) => !reads.has(n)) }).toEqual({ where, name, unread: [] });
  const committedSecrets = settings.filter((s) => !s.fromOperator && (isSecretLike(s.name) || hasCredentials(s.value))).map((s) => s.name);
  expect({ where, name, committedSecrets }).toEqual({ where, name, committedSecrets: [] });
  // With the operator's values in place, the process passes its own production validation.
  const config = LOADERS[name]?.(Object.fromEntries(settings.map((s) => [s.name, s.value])));
  if (!config) throw new Error(`no config loader for ${name}`);
  if (name !== 'gateway') expect(String(config.port)).toBe(new URL(SUBGRAPHS.find((s) => s.name === name)?.defaultUrl ?? '').port);
  return config;
}

/** Where a process is reached inside compose or a cluster: its service name and its port. */
const inCluster = (name: string, port: number, pathname: string) => `http://${name}:${port}${pathname}`;

test('every subgraph has a config loader here, an entry file, and the health routes probes use', () => {
  expect(Object.keys(LOADERS).sort()).toEqual([...PROCESSES].sort());
  for (const name of PROCESSES) {
    // dist/main.js is compiled from src/main.ts, which starts the process when run directly.
    const tsconfig = JSON.parse(read(`${packageDir(name)}/tsconfig.json`)) as { compilerOptions: { rootDir: string; outDir: string } };
    expect(tsconfig.compilerOptions).toMatchObject({ rootDir: 'src', outDir: 'dist' });
    expect(read(`${packageDir(name)}/src/main.ts`)).toContain('require.main === module');
    expect(read(`${packageDir(name)}/src/main.ts`)).toContain(name === 'gateway' ? "'GET /readyz'" : 'startSubgraph');
  }
  for (const file of ['gateway/src/main.ts', 'services/platform/src/server/start-subgraph.ts']) {
    expect(read(file)).toMatch(/'GET \/healthz'[\s\S]*'GET \/readyz'/);
  }
});

// ---- deploy/Dockerfile ---------------------------------------------------------------------------

interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

/** The Dockerfile's instructions, grouped by stage (continuations joined, comments dropped). */
function dockerfileStages(): Instruction[][] {
  const stages: Instruction[][] = [];
  for (const line of read('deploy/Dockerfile').replace(/\\\n/g, ' ').split('\n')) {
    const match = /^\s*([A-Z]+)\s+(.*)$/.exec(line);
    if (!match || line.trim().startsWith('#')) continue;
    const instruction = { keyword: match[1] ?? '', args: (match[2] ?? '').trim() };
    if (instruction.keyword === 'FROM') stages.push([]);
    stages.at(-1)?.push(instruction);
  }
  return stages;
}

/** The workspace folders of the root package.json, globs expanded. */
function workspaces(): string[] {
  const globs = (JSON.parse(read('package.json')) as { workspaces: string[] }).workspaces;
  return globs.flatMap((glob) =>
    glob.endsWith('/*') ? readdirSync(path.join(repoRoot, glob.slice(0, -2))).map((dir) => `${glob.slice(0, -2)}/${dir}`) : [glob],
  ).filter((dir) => exists(`${dir}/package.json`));
}

/** The runtime stage's working directory: container paths under it are repository paths. */
const runtimeWorkdir = () => dockerfileStages().at(-1)?.find((i) => i.keyword === 'WORKDIR')?.args ?? '';
const repoPathOf = (containerPath: string) => path.posix.relative(runtimeWorkdir(), containerPath);

test('deploy/Dockerfile builds from files that exist and runs one built entry file, as a non-root user, in production mode', () => {
  const stages = dockerfileStages();
  expect(stages.length).toBeGreaterThanOrEqual(2);
  const [build, runtime] = [stages[0] ?? [], stages.at(-1) ?? []];
  for (const copy of stages.flat().filter((i) => i.keyword === 'COPY' && !i.args.includes('--from='))) {
    const sources = copy.args.split(/\s+/).filter((token) => !token.startsWith('--')).slice(0, -1);
    for (const source of sources) expect({ source, exists: exists(source) }).toEqual({ source, exists: true });
  }
  // npm ci needs every workspace's manifest, copied before it runs.
  const install = build.findIndex((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args));
  expect(install).toBeGreaterThan(0);
  const copiedBeforeInstall = build.slice(0, install).filter((i) => i.keyword === 'COPY').map((i) => i.args).join(' ');
  for (const workspace of workspaces()) expect(copiedBeforeInstall).toContain(`${workspace}/package.json`);
  expect(build.some((i) => i.keyword === 'RUN' && /turbo run build/.test(i.args) && /npm prune --omit=dev/.test(i.args))).toBe(true);

  expect(runtime[0]?.args).toMatch(/^node:\d+[\w.-]*-slim\b/);
  expect(runtime.some((i) => i.keyword === 'COPY' && i.args.includes('--from='))).toBe(true);
  expect(runtime.some((i) => i.keyword === 'ENV' && /\bNODE_ENV=production\b/.test(i.args))).toBe(true);
  // A numeric non-root uid: Kubernetes' runAsNonRoot can only verify a number.
  const user = runtime.filter((i) => i.keyword === 'USER').at(-1)?.args.split(':')[0] ?? '0';
  expect(Number(user)).toBeGreaterThan(0);
  expect(runtimeWorkdir()).toMatch(/^\//);
  const command = JSON.parse(runtime.find((i) => i.keyword === 'CMD')?.args ?? '[]') as string[];
  expect(command).toEqual(['node', entryFile('gateway')]);
  const ignored = read('.dockerignore').split('\n');
  expect(ignored).toEqual(expect.arrayContaining(['**/node_modules', '**/dist', '.env']));
});

// ---- docker-compose.yml --------------------------------------------------------------------------

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string | number>;
  command?: string[];
  working_dir?: string;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}

const compose = () => parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, ComposeService> };

/** A compose service's variables; `${NAME}` (and `${NAME:?...}`) are the operator's, `${NAME:-word}` falls back to word. */
function composeSettings(service: ComposeService | undefined): Setting[] {
  return Object.entries(service?.environment ?? {}).map(([name, raw]) => ({
    name,
    fromOperator: String(raw).includes('${'),
    value: String(raw).replace(/\$\{([A-Z][A-Z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (_match, variable: string, operator?: string, word?: string) =>
      operator?.endsWith('-') ? (word ?? '') : operatorValue(variable),
    ),
  }));
}

/** Every service a compose service waits for, directly or through the services it waits for. */
function startedBefore(services: Record<string, ComposeService>, name: string, seen = new Set<string>()): Set<string> {
  for (const dependency of Object.keys(services[name]?.depends_on ?? {})) {
    if (!seen.has(dependency)) startedBefore(services, dependency, seen.add(dependency));
  }
  return seen;
}

test('docker-compose.yml: every service is health-checked, and waits for what it needs to be healthy or completed', () => {
  const { services } = compose();
  const oneShot = new Set(
    Object.values(services).flatMap((service) =>
      Object.entries(service.depends_on ?? {}).filter(([, d]) => d.condition === 'service_completed_successfully').map(([target]) => target),
    ),
  );
  for (const [name, service] of Object.entries(services)) {
    if (!oneShot.has(name)) expect({ name, healthcheck: Array.isArray(service.healthcheck?.test) }).toEqual({ name, healthcheck: true });
    for (const [target, { condition }] of Object.entries(service.depends_on ?? {})) {
      expect(Object.keys(services)).toContain(target);
      expect({ name, target, condition }).toEqual({ name, target, condition: services[target]?.healthcheck ? 'service_healthy' : 'service_completed_successfully' });
    }
    if (service.build) {
      expect(exists(path.join(service.build.context, service.build.dockerfile))).toBe(true);
      expect(service.build.dockerfile).toBe('deploy/Dockerfile');
    }
    // Every host:port a service is given that is another compose service is started before it.
    for (const { value } of composeSettings(service)) {
      for (const [, host] of value.matchAll(/(?:^|\/\/|,|@)([a-z][a-z0-9-]*):\d+/g)) {
        if (host && host !== name && services[host]) expect({ name, host, waits: startedBefore(services, name).has(host) }).toEqual({ name, host, waits: true });
      }
    }
  }
  expect(services.postgres?.healthcheck?.test).toContain('pg_isready');
  expect(services.redis?.healthcheck?.test).toEqual(expect.arrayContaining(['redis-cli', 'ping']));
});

test('docker-compose.yml runs every subgraph after its migrations, and the gateway after the subgraphs, each on its configured port', () => {
  const { services } = compose();
  const ports = new Map<string, number>();
  for (const name of [...SUBGRAPHS.map((subgraph) => subgraph.name), 'gateway']) {
    const service = services[name];
    expect(service?.command).toEqual(['node', entryFile(name)]);
    expect(service?.build?.dockerfile).toBe('deploy/Dockerfile');
    const { port } = expectProcessSettings('docker-compose.yml', name, composeSettings(service));
    ports.set(name, port);
    expect(service?.healthcheck?.test.join(' ')).toContain(`fetch('http://127.0.0.1:${port}/readyz')`);
    if (!hasDatabase(name)) continue;
    const migrate = services[`${name}-migrate`];
    expect(service?.depends_on?.[`${name}-migrate`]).toEqual({ condition: 'service_completed_successfully' });
    expect(migrate?.depends_on?.postgres).toEqual({ condition: 'service_healthy' });
    expect(migrate?.command).toEqual(MIGRATE_COMMAND);
    expect(migrate?.working_dir).toBe(`${runtimeWorkdir()}/${packageDir(name)}`);
    expect(composeSettings(migrate).map((s) => s.name)).toEqual(['DATABASE_URL']);
    expect(migrate?.environment?.DATABASE_URL).toBe(service?.environment?.[`${name.toUpperCase()}_DATABASE_URL`]);
    expect(migrate?.environment?.DATABASE_URL).toContain(`/shop_${name}`);
    expect(read('deploy/postgres-init.sql')).toContain(`CREATE DATABASE shop_${name};`);
  }
  const gateway = services.gateway?.environment ?? {};
  for (const subgraph of SUBGRAPHS) {
    expect(gateway[`${subgraph.name.toUpperCase()}_URL`]).toBe(inCluster(subgraph.name, ports.get(subgraph.name) ?? 0, '/graphql'));
    expect(services.gateway?.depends_on?.[subgraph.name]).toEqual({ condition: 'service_healthy' });
  }
  expect(gateway.JWT_JWKS_URL).toBe(inCluster('accounts', ports.get('accounts') ?? 0, JWKS_PATH));
  const topics = (parse(read('deploy/kafka-topics.yaml')) as { topics: { name: string; partitions: number }[] }).topics;
  for (const subgraph of SUBGRAPHS) expect(topics.map((topic) => topic.name)).toContain(`${subgraph.name}.events`);
  for (const topic of topics) expect(services['kafka-topics']?.command?.join(' ')).toContain(`${topic.name}:${topic.partitions}`);
});

test('the migration command runs the Prisma CLI the image installs, where the service keeps prisma.config.ts', () => {
  for (const name of PROCESSES.filter(hasDatabase)) {
    const cli = repoPathOf(path.posix.join(runtimeWorkdir(), packageDir(name), MIGRATE_COMMAND[1] ?? ''));
    expect(exists(cli)).toBe(true);
    // Hoisted to the root and a production dependency, so it survives `npm prune --omit=dev`.
    const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { dev?: boolean }> };
    expect(lock.packages[path.posix.dirname(path.posix.dirname(cli))]?.dev).toBeFalsy();
    expect(read(`${packageDir(name)}/prisma.config.ts`)).toContain('process.env.DATABASE_URL');
  }
});

// ---- deploy/k8s ----------------------------------------------------------------------------------

type Labels = Record<string, string>;
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } };
}
interface Probe {
  httpGet: { path: string; port: number | string };
}
interface Container {
  command?: string[];
  workingDir?: string;
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  resources?: { requests?: { cpu?: string; memory?: string }; limits?: { cpu?: string; memory?: string } };
  securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean; runAsNonRoot?: boolean };
}
interface PodTemplate {
  metadata?: { labels?: Labels };
  spec: { securityContext?: { runAsNonRoot?: boolean; runAsUser?: number }; containers: Container[] };
}
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Labels };
  data?: Record<string, string>;
  spec?: {
    selector?: { matchLabels?: Labels } & Record<string, unknown>;
    template?: PodTemplate;
    replicas?: number;
    ports?: { port: number; targetPort: number | string }[];
    scaleTargetRef?: { apiVersion: string; kind: string; name: string };
    minReplicas?: number;
    metrics?: { type: string; resource?: { name: string } }[];
    minAvailable?: number | string;
  };
}

const manifestsOf = (name: string) => parseAllDocuments(read(`deploy/k8s/${name}.yaml`)).map((doc) => doc.toJS() as Manifest);
const isSubset = (subset: Labels | undefined, labels: Labels | undefined) =>
  Object.keys(subset ?? {}).length > 0 && Object.entries(subset ?? {}).every(([key, value]) => labels?.[key] === value);

/** A container's variables: its own ConfigMap's data, literal values, and references. */
function containerSettings(container: Container, manifests: readonly Manifest[]): Setting[] {
  const configMap = (name: string) => manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name === name)?.data;
  const fromConfigMaps = (container.envFrom ?? []).flatMap((source) => {
    expect(source.secretRef).toBeUndefined();
    const data = configMap(source.configMapRef?.name ?? '');
    expect(data).toBeDefined();
    return Object.entries(data ?? {}).map(([name, value]) => ({ name, value: String(value), fromOperator: false }));
  });
  const fromEnv = (container.env ?? []).map(({ name, value, valueFrom }) => {
    if (valueFrom?.secretKeyRef) return { name, value: operatorValue(valueFrom.secretKeyRef.key), fromOperator: true };
    const ref = valueFrom?.configMapKeyRef;
    return { name, value: ref ? (configMap(ref.name)?.[ref.key] ?? '') : String(value), fromOperator: false };
  });
  return [...fromConfigMaps, ...fromEnv];
}

/** Resources and hardening every pod of the shop gets. */
function expectHardenedPod(template: PodTemplate | undefined): void {
  const userId = Number(dockerfileStages().at(-1)?.find((i) => i.keyword === 'USER')?.args.split(':')[0]);
  expect(template?.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: userId });
  for (const container of template?.spec.containers ?? []) {
    expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    expect(container.resources?.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    expect(container.resources?.limits).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
  }
}

test('deploy/k8s: a Deployment, Service, ConfigMap, HPA and PDB for the gateway and every subgraph, and a migration Job for each with a database', () => {
  const kustomization = parse(read('deploy/k8s/kustomization.yaml')) as { resources: string[] };
  for (const name of PROCESSES) {
    expect(kustomization.resources).toContain(`${name}.yaml`);
    const manifests = manifestsOf(name);
    expect(manifests.filter((m) => m.metadata.name === name).map((m) => `${m.apiVersion} ${m.kind}`).sort()).toEqual([
      'apps/v1 Deployment',
      'autoscaling/v2 HorizontalPodAutoscaler',
      'policy/v1 PodDisruptionBudget',
      'v1 Service',
    ]);
    expect(manifests.find((m) => m.metadata.name === `${name}-config`)?.kind).toBe('ConfigMap');
    expect(manifests.find((m) => m.metadata.name === `${name}-migrate`)?.kind).toBe(hasDatabase(name) ? 'Job' : undefined);
    // Secrets are the operator's: referenced by name, never committed.
    expect(manifests.filter((m) => m.kind === 'Secret')).toEqual([]);
  }
});

test('deploy/k8s: probes, Service, autoscaler and disruption budget all point at the process on its configured port', () => {
  const ports = new Map<string, number>();
  for (const name of PROCESSES) {
    const manifests = manifestsOf(name);
    const find = (kind: string) => manifests.find((m) => m.kind === kind && m.metadata.name === name);
    const deployment = find('Deployment');
    const template = deployment?.spec?.template;
    const [container, ...others] = template?.spec.containers ?? [];
    expect(others).toEqual([]);
    if (!container) throw new Error(`${name}: no container`);
    expect(container.command).toEqual(['node', entryFile(name)]);
    const { port } = expectProcessSettings(`deploy/k8s/${name}.yaml`, name, containerSettings(container, manifests));
    ports.set(name, port);
    expect(container.ports?.map((p) => p.containerPort)).toEqual([port]);
    const probePort = (probe?: Probe) => {
      const target = probe?.httpGet.port;
      return typeof target === 'string' ? container.ports?.find((p) => p.name === target)?.containerPort : target;
    };
    expect([container.readinessProbe?.httpGet.path, probePort(container.readinessProbe)]).toEqual(['/readyz', port]);
    expect([container.livenessProbe?.httpGet.path, probePort(container.livenessProbe)]).toEqual(['/healthz', port]);
    expectHardenedPod(template);
    expect(isSubset(deployment?.spec?.selector?.matchLabels, template?.metadata?.labels)).toBe(true);
    // The autoscaler owns the replica count; a fixed one would fight it on every apply.
    expect(deployment?.spec?.replicas).toBeUndefined();

    const service = find('Service');
    expect(isSubset(service?.spec?.selector as Labels | undefined, template?.metadata?.labels)).toBe(true);
    expect(service?.spec?.ports?.map((p) => [p.port, p.targetPort])).toEqual([[port, port]]);
    const autoscaler = find('HorizontalPodAutoscaler');
    expect(autoscaler?.spec?.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name });
    expect(autoscaler?.spec?.minReplicas).toBeGreaterThanOrEqual(2);
    expect(autoscaler?.spec?.metrics?.map((m) => m.resource?.name)).toContain('cpu');
    const budget = find('PodDisruptionBudget');
    expect(isSubset(budget?.spec?.selector?.matchLabels, template?.metadata?.labels)).toBe(true);
    expect(budget?.spec?.minAvailable).toBeLessThan(autoscaler?.spec?.minReplicas ?? 0);
  }
  const gateway = manifestsOf('gateway').find((m) => m.metadata.name === 'gateway-config')?.data ?? {};
  for (const subgraph of SUBGRAPHS) {
    expect(gateway[`${subgraph.name.toUpperCase()}_URL`]).toBe(inCluster(subgraph.name, ports.get(subgraph.name) ?? 0, '/graphql'));
  }
  expect(gateway.JWT_JWKS_URL).toBe(inCluster('accounts', ports.get('accounts') ?? 0, JWKS_PATH));
});

test('deploy/k8s: each migration Job migrates the database its Deployment uses, from the Secret, labelled to run first', () => {
  for (const name of PROCESSES.filter(hasDatabase)) {
    const manifests = manifestsOf(name);
    const job = manifests.find((m) => m.kind === 'Job' && m.metadata.name === `${name}-migrate`);
    const deployment = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === name);
    expect(job?.apiVersion).toBe('batch/v1');
    expect(job?.metadata.labels?.['app.kubernetes.io/component']).toBe('migration');
    const [migrate] = job?.spec?.template?.spec.containers ?? [];
    expect(migrate?.command).toEqual(MIGRATE_COMMAND);
    expect(migrate?.workingDir).toBe(`${runtimeWorkdir()}/${packageDir(name)}`);
    expect(migrate?.env).toEqual([{ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'shop-secrets', key: `${name.toUpperCase()}_DATABASE_URL` } } }]);
    const serviceDatabase = deployment?.spec?.template?.spec.containers[0]?.env?.find((v) => v.name === `${name.toUpperCase()}_DATABASE_URL`);
    expect(serviceDatabase?.valueFrom?.secretKeyRef).toEqual(migrate?.env?.[0]?.valueFrom?.secretKeyRef);
    expectHardenedPod(job?.spec?.template);
  }
});
