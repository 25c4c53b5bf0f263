import { descendantsOf, listProcesses, processInfo, type ProcessInfo } from './process-tree';

/** Resident memory of a group of processes, in MB (1 MB = 1024 KiB). */
export interface MemoryFigure {
  readonly processes: number;
  readonly rssMb: number;
  /** Sum of each process's own peak (VmHWM). */
  readonly peakRssMb: number;
}

/** RSS of every process involved, read after the load runs. */
export interface MemoryResults {
  /** The shop's Node process(es): the launcher with gateway and catalog in it, plus any Node child. */
  readonly shopNode: MemoryFigure;
  /** The embedded PostgreSQL tree (postmaster, backends, workers and the su/sh wrapper); shared memory counts once per process. */
  readonly postgres: MemoryFigure;
  readonly bareServer: MemoryFigure;
  readonly bench: MemoryFigure;
}

function figure(processes: readonly ProcessInfo[]): MemoryFigure {
  const mb = (kb: number) => Math.round((kb / 1024) * 10) / 10;
  return {
    processes: processes.length,
    rssMb: mb(processes.reduce((sum, info) => sum + info.rssKb, 0)),
    peakRssMb: mb(processes.reduce((sum, info) => sum + info.peakRssKb, 0)),
  };
}

/** Reads the RSS (VmRSS from /proc, or `ps -o rss=`) of the shop's tree, the bare server and the bench itself. */
export function measureMemory(shopPid: number, barePid: number): MemoryResults {
  const all = listProcesses();
  const shop = processInfo(shopPid);
  if (!shop) throw new Error(`the shop process ${shopPid} is gone`);
  const tree = descendantsOf(shopPid, all);
  const isNode = (info: ProcessInfo) => /^(node|MainThread)$/.test(info.name);
  return {
    shopNode: figure([shop, ...tree.filter(isNode)]),
    postgres: figure(tree.filter((info) => !isNode(info))),
    bareServer: figure([processInfo(barePid)].filter((info): info is ProcessInfo => info !== undefined)),
    bench: figure([processInfo(process.pid)].filter((info): info is ProcessInfo => info !== undefined)),
  };
}
