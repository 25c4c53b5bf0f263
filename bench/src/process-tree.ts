import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** One process as the bench sees it. */
export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  /** Executable name (`node`, `postgres`, `su`, `sh`...). */
  readonly name: string;
  /** Resident set size in KiB. */
  readonly rssKb: number;
  /** Peak resident set size in KiB (Linux only; equal to rssKb elsewhere). */
  readonly peakRssKb: number;
}

const hasProc = existsSync('/proc/self/status');

function fromProc(pid: number): ProcessInfo | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const fields = new Map(status.split('\n').map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]));
    const number = (name: string) => Number.parseInt(fields.get(name) ?? '', 10) || 0;
    return { pid, ppid: number('PPid'), name: fields.get('Name') ?? '?', rssKb: number('VmRSS'), peakRssKb: number('VmHWM') };
  } catch {
    return undefined; // gone meanwhile
  }
}

function fromPs(): ProcessInfo[] {
  const text = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,rss=,comm='], { encoding: 'utf8' });
  return text.split('\n').flatMap((line) => {
    const match = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    if (!match) return [];
    const rssKb = Number(match[3]);
    return [{ pid: Number(match[1]), ppid: Number(match[2]), rssKb, peakRssKb: rssKb, name: (match[4] ?? '').trim() }];
  });
}

/** Every process on the machine (from /proc on Linux, `ps` elsewhere). */
export function listProcesses(): ProcessInfo[] {
  if (!hasProc) return fromPs();
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((entry) => fromProc(Number(entry)) ?? []);
}

/** One process, or undefined when it no longer exists. */
export function processInfo(pid: number): ProcessInfo | undefined {
  return hasProc ? fromProc(pid) : fromPs().find((info) => info.pid === pid);
}

/** Every descendant of `pid` (children, their children...), not `pid` itself. */
export function descendantsOf(pid: number, all = listProcesses()): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  const parents = new Set([pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const info of all) {
      if (parents.has(info.ppid) && !parents.has(info.pid)) {
        parents.add(info.pid);
        found.push(info);
        grew = true;
      }
    }
  }
  return found;
}

/** Whether `pid` still runs (a zombie counts as gone). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (!hasProc) return true;
  try {
    return !/^State:\s*Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}
