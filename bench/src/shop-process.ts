import { rmSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { processEnv } from '@shop/platform';
import type { Cleanup } from './cleanup';
import { REPO_ROOT, type BenchConfig } from './config';
import { freePorts } from './free-port';
import { spawnManaged, type ManagedChild } from './managed-child';

/** A running embedded shop started by the bench. */
export interface Shop {
  readonly process: ManagedChild;
  readonly dataDir: string;
  readonly gatewayUrl: string;
  readonly catalogUrl: string;
  readonly gatewayMetricsUrl: string;
  readonly catalogMetricsUrl: string;
  /** The gateway-subgraph secret, for signing direct calls to the catalog. */
  readonly identitySecret: string;
  /** Port of the embedded PostgreSQL, from the launcher's `PostgreSQL started on` line. */
  readonly postgresPort: number | undefined;
  /** Stops the shop (and its PostgreSQL) and removes its data. */
  stop(): Promise<void>;
}

/** Options of one start. */
export interface StartShopOptions {
  readonly config: BenchConfig;
  readonly cleanup: Cleanup;
  readonly label: string;
  /** CATALOG_CACHE_TTL_SECONDS; the catalog's default when omitted. */
  readonly catalogCacheTtlSeconds?: number;
  /**
   * Extra environment (e.g. KAFKA_BROKERS). Without it the shop gets neither KAFKA_BROKERS nor
   * BUS_DATABASE_URL from the bench's own environment, so it runs the embedded bus in `shop_bus`.
   */
  readonly env?: Readonly<Record<string, string>>;
}

const READY_LINE = /The shop is ready at http:\/\/localhost:(\d+)\/graphql/;
/** When root's postgres user cannot reach DATA_DIR, the cluster goes elsewhere; the launcher logs where. */
const NEW_CLUSTER_LINE = /with new cluster (\S+) \(/;
const POSTGRES_LINE = /PostgreSQL started on 127\.0\.0\.1:(\d+) /;

async function readIdentitySecret(dataDir: string): Promise<string> {
  const parsed: unknown = JSON.parse(await readFile(path.join(dataDir, 'secrets.json'), 'utf8'));
  const secret = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).gatewaySubgraphSecret : undefined;
  if (typeof secret !== 'string') throw new Error(`no gatewaySubgraphSecret in ${dataDir}/secrets.json`);
  return secret;
}

/** A cluster the launcher created outside DATA_DIR (root fallback): its per-directory folder, to remove too. */
function outsideCluster(output: string, dataDir: string): string | undefined {
  const clusterDir = NEW_CLUSTER_LINE.exec(output)?.[1];
  if (!clusterDir || clusterDir.startsWith(`${dataDir}${path.sep}`)) return undefined;
  return path.dirname(clusterDir);
}

/**
 * Starts `services/embedded/dist/main.js` with a fresh temp DATA_DIR and free ports, waits for its
 * ready line, and registers its stop (SIGTERM, SIGKILL after 10 s, temp dir removed) with `cleanup`.
 * DATA_DIR is made traversable (0755) so that, as root, the cluster stays inside it.
 */
export async function startShop(options: StartShopOptions): Promise<Shop> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'shop-bench-'));
  const removeDir = async () => rm(dataDir, { recursive: true, force: true });
  const removeDirRegistration = options.cleanup.add({ name: `removing ${dataDir}`, run: removeDir, emergency: () => rmSync(dataDir, { recursive: true, force: true }) });
  await chmod(dataDir, 0o755);
  const [gatewayPort, catalogPort, accountsPort, inventoryPort, ordersPort, paymentsPort, shippingPort, promotionsPort] = await freePorts(8);
  const env: Record<string, string | undefined> = {
    ...processEnv(),
    DATA_DIR: dataDir,
    PORT: String(gatewayPort),
    CATALOG_PORT: String(catalogPort),
    ACCOUNTS_PORT: String(accountsPort),
    INVENTORY_PORT: String(inventoryPort),
    ORDERS_PORT: String(ordersPort),
    PAYMENTS_PORT: String(paymentsPort),
    SHIPPING_PORT: String(shippingPort),
    PROMOTIONS_PORT: String(promotionsPort),
    SEED_DEMO_DATA: 'true',
    // Every bench request comes from one address: the limits (CONTRACT) are loosened, as for any load test.
    RATE_LIMIT_SCALE: '1000',
    CATALOG_DATABASE_URL: undefined,
    ACCOUNTS_DATABASE_URL: undefined,
    INVENTORY_DATABASE_URL: undefined,
    ORDERS_DATABASE_URL: undefined,
    PAYMENTS_DATABASE_URL: undefined,
    SHIPPING_DATABASE_URL: undefined,
    PROMOTIONS_DATABASE_URL: undefined,
    EMBEDDED_POSTGRES_PORT: undefined,
    KAFKA_BROKERS: undefined,
    BUS_DATABASE_URL: undefined,
    ...options.env,
  };
  if (options.catalogCacheTtlSeconds !== undefined) env.CATALOG_CACHE_TTL_SECONDS = String(options.catalogCacheTtlSeconds);
  let extraDir: string | undefined;
  const child = spawnManaged({
    name: `shop (${options.label})`,
    args: [...options.config.shopNodeArgs, path.join(REPO_ROOT, 'services/embedded/dist/main.js')],
    env,
    cwd: REPO_ROOT,
    cleanup: options.cleanup,
    afterStop: async () => {
      extraDir ??= outsideCluster(child.outputTail(), dataDir);
      await removeDir();
      if (extraDir) await rm(extraDir, { recursive: true, force: true });
    },
    afterStopSync: () => {
      rmSync(dataDir, { recursive: true, force: true });
      if (extraDir) rmSync(extraDir, { recursive: true, force: true });
    },
  });
  removeDirRegistration(); // the child's stop removes it from now on
  // Printed before the ready line, so it is known once that line is: each line reaches listeners in order.
  let postgresPort: number | undefined;
  void child.waitForLine(POSTGRES_LINE, options.config.readyTimeoutSeconds * 1000).then(
    (line) => (postgresPort = Number(line[1])),
    () => undefined, // no embedded server (external database), or the start failed: the ready wait says so
  );
  const match = await child.waitForLine(READY_LINE, options.config.readyTimeoutSeconds * 1000);
  extraDir = outsideCluster(child.outputTail(), dataDir);
  child.rememberDescendants();
  if (Number(match[1]) !== gatewayPort) throw new Error(`the shop listens on ${match[1]}, expected ${gatewayPort}`);
  const gatewayBase = `http://127.0.0.1:${gatewayPort}`;
  const catalogBase = `http://127.0.0.1:${catalogPort}`;
  return {
    process: child,
    dataDir,
    gatewayUrl: `${gatewayBase}/graphql`,
    catalogUrl: `${catalogBase}/graphql`,
    gatewayMetricsUrl: `${gatewayBase}/metrics`,
    catalogMetricsUrl: `${catalogBase}/metrics`,
    identitySecret: await readIdentitySecret(dataDir),
    postgresPort,
    stop: child.stop,
  };
}
