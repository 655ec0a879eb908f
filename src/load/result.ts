import type { LatencyPercentiles } from '../common/index.js';
import type { EngineSummary } from '../engine/index.js';
import type { InvariantReport } from '../stack/index.js';
import type { LoadConfig, LoadModel } from './config.js';
import type { SecondRow, StrategyStats } from './recorder.js';
import type { SlaVerdict } from './sla.js';

/** Where the numbers were measured. */
export interface MachineInfo {
  cores: number;
  cpuModel: string;
  nodeVersion: string;
  platform: string;
  arch: string;
  totalMemoryMb: number;
}

export interface LoadTotals {
  /** Orders the configuration asked for. */
  planned: number;
  intents: number;
  placed: number;
  failed: number;
  late: number;
  dropped: number;
  failureRate: number;
  /** Placed orders per second, from the first send to the last outcome. */
  throughputPerSecond: number;
  /** The most orders placed in one second. */
  peakPerSecond: number;
  /** Seconds from the first send to the last outcome. */
  activeSeconds: number;
}

/** What a load run found. */
export interface LoadResult {
  status: 'completed' | 'aborted';
  model: LoadModel;
  config: LoadConfig;
  startedAt: number;
  finishedAt: number;
  /** Orders placed before the clock started, to open connections and warm the code; not in the totals. */
  warmUpOrders: number;
  totals: LoadTotals;
  /** Failures by type: the engine's outcome and, where known, its reason (`rejected:-2010`). */
  failures: Record<string, number>;
  /**
   * The SLA figure, intent to the venue's acknowledgement. Closed model: from
   * the send, coordinated omission corrected at `correctionIntervalMs`. Open
   * model: from the intended time, which needs no correction.
   */
  latencyMs: LatencyPercentiles;
  /** Closed model: the same latencies before the correction. */
  uncorrectedLatencyMs: LatencyPercentiles;
  /** Hand-over to the engine to the acknowledgement: the engine's own part. */
  serviceLatencyMs: LatencyPercentiles;
  /** Closed model: a slot's pace the correction assumes, ms (the run's mean latency); null in the open model. */
  correctionIntervalMs: number | null;
  seconds: SecondRow[];
  strategies: StrategyStats[];
  sla: SlaVerdict[];
  passed: boolean;
  invariants: InvariantReport | null;
  engine: Pick<EngineSummary, 'outcomes' | 'ordersByStatus' | 'unresolved'> | null;
  machine: MachineInfo;
  /** Largest resident set of this process over the run (simulator, proxy and embedded database included), MB. */
  peakRssMb: number;
  /** Why the run ended without a verdict of its own making (a stack that did not start, an interruption). */
  error: string | null;
}
