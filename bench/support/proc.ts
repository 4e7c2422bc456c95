import { readFileSync, readdirSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux x86-64). */
const HZ = 100;

interface Stat {
  ppid: number;
  ticks: number;
}

function statOf(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(rest[1]);
    const utime = Number(rest[11]);
    const stime = Number(rest[12]);
    return { ppid, ticks: utime + stime };
  } catch {
    return undefined;
  }
}

/** Every live process id on the machine with its parent and CPU ticks so far. */
function snapshotAll(): Map<number, Stat> {
  const all = new Map<number, Stat>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = statOf(Number(name));
    if (s !== undefined) all.set(Number(name), s);
  }
  return all;
}

/** A group of processes (each root and all its descendants, e.g. tsx's node child and esbuild). */
export interface ProcGroup {
  name: string;
  roots: number[];
}

/** CPU seconds used so far by each group (user + system, process tree). */
export function cpuSeconds(groups: ProcGroup[]): Map<string, number> {
  const all = snapshotAll();
  const children = new Map<number, number[]>();
  for (const [pid, s] of all) {
    const list = children.get(s.ppid) ?? [];
    list.push(pid);
    children.set(s.ppid, list);
  }
  const out = new Map<string, number>();
  for (const g of groups) {
    let ticks = 0;
    const seen = new Set<number>();
    const stack = [...g.roots];
    while (stack.length > 0) {
      const pid = stack.pop() as number;
      if (seen.has(pid)) continue;
      seen.add(pid);
      ticks += all.get(pid)?.ticks ?? 0;
      stack.push(...(children.get(pid) ?? []));
    }
    out.set(g.name, ticks / HZ);
  }
  return out;
}

/** Process ids whose command name (/proc/<pid>/comm) is `comm`: a read-only look, for RabbitMQ and PostgreSQL. */
export function pidsByComm(comm: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/comm`, 'utf8').trim() === comm) pids.push(Number(name));
    } catch {
      // The process ended while listing.
    }
  }
  return pids;
}

export function loadAverage(): [number, number, number] {
  const [a, b, c] = readFileSync('/proc/loadavg', 'utf8').split(' ').map(Number);
  return [a ?? 0, b ?? 0, c ?? 0];
}
