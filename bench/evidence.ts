/**
 * Evidence benchmark: what recording the judge's evidence costs a world.
 * Signed MARKET orders go through the exchange proxy to the simulator of a
 * world in its own process, once with the evidence recorded (every request
 * named by the proxy, both records written as JSON lines) and once with
 * nobody listening, beside a raw `node:http` echo server receiving the same
 * requests. Reports orders/s of each, the ratio on/off, and the world's heap
 * after a full GC early in the window and at its end: evidence lives in
 * files, so the heap must not grow with the orders.
 */
import { parseArgs } from 'node:util';
import { guardChildren, withChild } from './lib/child-server.js';
import { measureEcho, nextSignedOrder } from './lib/echo-baseline.js';
import { errorRate, measure, type LoadSettings, type TargetResult } from './lib/http-load.js';
import { cliBenchmark, LOAD_OPTIONS, loadSettings, loadUsage } from './lib/options.js';
import { printTable, round, runInfo, writeResults, type RunInfo } from './lib/report.js';
import type { Benchmark } from './run.js';

/** Recording must keep at least this share of the orders/s without it. */
const TARGET_RATIO = 0.8;
/**
 * The evidence's own heap growth per 1 000 orders (with it minus without it)
 * above this means it keeps something per request, MB. The simulator keeps
 * every order and ledger entry itself, so both runs grow; only the
 * difference is the evidence's.
 */
const MAX_HEAP_GROWTH_MB_PER_1000 = 0.1;
const MAX_ERROR_RATE = 0.01;

const USAGE = `usage: npm run bench -- evidence [options]\n\n${loadUsage('world')}`;

function parseSettings(args: string[]): LoadSettings | undefined {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: { ...LOAD_OPTIONS, help: { type: 'boolean', short: 'h' } },
  });
  return values.help ? undefined : loadSettings(values);
}

/** What the world child says at its exit (see world-child.ts). */
interface WorldMemory {
  answered: number;
  firstAnswered: number;
  firstHeapMB: number | null;
  lastHeapMB: number;
  gcExposed: boolean;
}

interface WorldRun extends TargetResult {
  memory: WorldMemory | null;
  /** Heap growth from the first sample to the end, per 1 000 orders answered between them, MB. */
  heapGrowthMBPer1000: number | null;
}

const accepts = (status: number, body: string) =>
  status >= 200 && status < 300 && body.includes('"status":"FILLED"');

async function runWorld(evidence: 'on' | 'off', settings: LoadSettings): Promise<WorldRun> {
  const args = ['--expose-gc', '--import', import.meta.resolve('tsx'), 'bench/world-child.ts'];
  let memory: WorldMemory | null = null;
  const { value, exitCode } = await withChild(
    `world-${evidence}`,
    [...args, '--evidence', evidence],
    async (server) => {
      console.error(`world, evidence ${evidence}: ${server.url}, measuring…`);
      server.child.stderr?.on('data', (chunk: Buffer) => {
        const line = String(chunk).trim().split('\n').at(-1) ?? '';
        if (line.startsWith('{"answered"')) memory = JSON.parse(line) as WorldMemory;
      });
      const pid = server.child.pid;
      return measure({ name: evidence, url: server.url, pid, accepts }, settings, nextSignedOrder);
    },
  );
  const seen = memory as WorldMemory | null;
  const orders = seen ? seen.answered - seen.firstAnswered : 0;
  const growth =
    seen !== null && seen.firstHeapMB !== null && orders > 0
      ? round(((seen.lastHeapMB - seen.firstHeapMB) / orders) * 1000, 4)
      : null;
  return { ...value, exitCode, memory: seen, heapGrowthMBPer1000: growth };
}

interface Report extends RunInfo {
  benchmark: 'evidence';
  settings: LoadSettings;
  echo: TargetResult;
  on: WorldRun;
  off: WorldRun;
  ratioOnOff: number;
  ratioOnEcho: number;
  /** on.heapGrowthMBPer1000 − off.heapGrowthMBPer1000: what the evidence itself keeps. */
  evidenceHeapMBPer1000: number | null;
  target: { ratioOnOff: number; maxHeapGrowthMBPer1000: number };
  pass: boolean;
}

async function runEvidenceBenchmark(settings: LoadSettings): Promise<number> {
  return guardChildren(async () => {
    const echo = await measureEcho(settings);
    const off = await runWorld('off', settings);
    const on = await runWorld('on', settings);
    const ratioOnOff = off.rps > 0 ? round(on.rps / off.rps, 3) : 0;
    const growth =
      on.heapGrowthMBPer1000 === null || off.heapGrowthMBPer1000 === null
        ? null
        : round(on.heapGrowthMBPer1000 - off.heapGrowthMBPer1000, 4);
    const report: Report = {
      benchmark: 'evidence',
      ...runInfo(),
      settings,
      echo,
      on,
      off,
      ratioOnOff,
      ratioOnEcho: echo.rps > 0 ? round(on.rps / echo.rps, 3) : 0,
      evidenceHeapMBPer1000: growth,
      target: { ratioOnOff: TARGET_RATIO, maxHeapGrowthMBPer1000: MAX_HEAP_GROWTH_MB_PER_1000 },
      pass:
        [echo, on, off].every((r) => errorRate(r) <= MAX_ERROR_RATE) &&
        ratioOnOff >= TARGET_RATIO &&
        growth !== null &&
        growth <= MAX_HEAP_GROWTH_MB_PER_1000,
    };
    printTable(
      [
        { header: 'target', cell: (row: [string, TargetResult]) => row[0] },
        { header: 'orders/s', cell: (row) => row[1].rps.toFixed(1) },
        { header: 'p50 ms', cell: (row) => row[1].p50Ms.toFixed(3) },
        { header: 'p99 ms', cell: (row) => row[1].p99Ms.toFixed(3) },
        { header: 'errors', cell: (row) => String(row[1].errors) },
      ],
      [
        ['echo (raw node:http)', echo],
        ['world, evidence off', off],
        ['world, evidence on', on],
      ],
    );
    console.log(
      `\nratio on/off ${ratioOnOff} (target >= ${TARGET_RATIO}); on/echo ${report.ratioOnEcho}`,
    );
    const heap = (run: WorldRun) =>
      `${run.memory?.firstHeapMB} → ${run.memory?.lastHeapMB} MB over ` +
      `${run.memory ? run.memory.answered - run.memory.firstAnswered : '?'} orders ` +
      `(${run.heapGrowthMBPer1000} MB per 1 000)`;
    console.log(`world heap with evidence ${heap(on)}; without ${heap(off)}`);
    console.log(
      `the evidence's own: ${growth} MB per 1 000 orders (target <= ${MAX_HEAP_GROWTH_MB_PER_1000})`,
    );
    console.log(
      `${report.pass ? 'PASS' : 'FAIL'}\nresults: ${await writeResults('evidence', report)}`,
    );
    return report.pass ? 0 : 1;
  });
}

export const benchmark: Benchmark = cliBenchmark(USAGE, parseSettings, runEvidenceBenchmark);
