/**
 * CPU time of the server under test and of the load generator. Requests per
 * second alone cannot tell which side ran out of CPU; per-request CPU on both
 * sides can (a client near 1e6/rps µs per request was the bottleneck).
 */
import { readFileSync } from 'node:fs';
import { round } from './report.js';

/** Linux's USER_HZ: /proc reports CPU time in these ticks. */
const CLOCK_TICKS_PER_S = 100;

/** CPU time used so far, in ms, by the server child and by this process. */
export interface CpuSample {
  serverMs: number | undefined;
  clientMs: number;
}

/**
 * User+system CPU of another process from /proc/<pid>/stat (utime and stime,
 * fields 14 and 15); undefined off Linux or once the process is gone.
 */
function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name start at field 3 (state).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / CLOCK_TICKS_PER_S : undefined;
  } catch {
    return undefined;
  }
}

/** Samples the server process `pid` and this process together. */
export function sampleCpu(pid: number | undefined): CpuSample {
  const { user, system } = process.cpuUsage();
  return { serverMs: processCpuMs(pid), clientMs: (user + system) / 1000 };
}

/** Per-request CPU in µs between two samples; null when either is unknown. */
export function cpuPerRequest(
  from: number | undefined,
  to: number | undefined,
  requests: number,
): number | null {
  if (from === undefined || to === undefined || requests === 0) return null;
  return round(((to - from) * 1000) / requests, 1);
}
