import { readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const HZ = 100;

/** utime + stime of a process in seconds (0 once it is gone). */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ": field 3 (state) is index 0, so utime (14) and stime (15) are 11 and 12.
    return (Number(fields[11]) + Number(fields[12])) / HZ;
  } catch {
    return 0;
  }
}

/**
 * CPU seconds a process ran, to the nanosecond: the sum of `run` (first field of
 * /proc/<pid>/task/<tid>/schedstat, ns on a CPU) over its threads. /proc/<pid>/stat counts 10 ms
 * ticks, too coarse for a few hundred queries of tens of µs. A thread that exits takes its time with
 * it; Go keeps its threads, so for CoreDNS this is the process's time. Falls back to the ticks.
 */
export function processRunSeconds(pid: number): number {
  try {
    let ns = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        /* the thread ended */
      }
    }
    return ns / 1e9;
  } catch {
    return processCpuSeconds(pid);
  }
}

/** Busy CPU seconds of the whole machine (all cores, everything but idle and iowait). */
export function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const [, ...values] = line.trim().split(/\s+/);
  const n = values.map(Number);
  const total = n.slice(0, 8).reduce((a, b) => a + b, 0);
  return (total - n[3] - n[4]) / HZ;
}

/** The pid of the CoreDNS process started with `-conf <dir>/Corefile`, where dir holds `logFile`. */
export function coreDnsPid(logFile: string): number {
  const conf = `${dirname(logFile)}/Corefile`;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (cmdline.includes('-conf') && cmdline.includes(conf)) return Number(entry);
    } catch {
      /* gone */
    }
  }
  throw new Error(`no CoreDNS process runs ${conf}`);
}

/** CPU seconds spent by some processes and by the machine between `start()` and `stop()`. */
export function cpuMeter(pids: Record<string, number[]>): { stop(): Record<string, number> & { machine: number } } {
  const sum = (list: number[]) => list.reduce((a, pid) => a + processRunSeconds(pid), 0);
  const before = Object.fromEntries(Object.entries(pids).map(([k, list]) => [k, sum(list)]));
  const machine0 = machineBusySeconds();
  return {
    stop: () => {
      const out: Record<string, number> = {};
      for (const [k, list] of Object.entries(pids)) out[k] = sum(list) - before[k];
      return { ...out, machine: machineBusySeconds() - machine0 };
    },
  };
}
