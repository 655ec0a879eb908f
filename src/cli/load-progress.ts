import type { LoadProgress, LoadResult, SlaVerdict } from '../load/index.js';
import { slaFigure } from '../report/index.js';
import { formatTable } from './table.js';

/**
 * Progress of a load run: on a terminal one status line redrawn each second;
 * in CI or a pipe a plain line every five seconds and at the verify phase.
 */
export class LoadProgressPrinter {
  private drawn = false;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly live: boolean,
  ) {}

  tick(progress: LoadProgress): void {
    const last = progress.lastSecond;
    const text =
      `load · ${progress.phase} · ${progress.elapsedSeconds} s · ` +
      `${progress.sent}/${progress.planned} sent · ${progress.placed} placed · ${progress.failed} failed` +
      (last
        ? ` · ${last.placed} orders/s · p95 ${last.p95Ms === null ? '–' : fixed(last.p95Ms)} ms`
        : '');
    if (this.live && progress.phase === 'load') {
      this.stream.write(`\r\x1b[2K${text}`);
      this.drawn = true;
    } else if (progress.phase !== 'load' || progress.elapsedSeconds % 5 === 0) this.line(text);
  }

  line(text: string): void {
    if (this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
    this.stream.write(`${text}\n`);
  }
}

const METRIC_NAMES: Record<SlaVerdict['metric'], string> = {
  p95_latency_ms: 'p95 latency',
  failure_rate: 'failure rate',
  throughput_per_second: 'throughput',
  invariants: 'lost/duplicated/unresolved orders',
};

/** The SLA table: each metric, its threshold and PASS/FAIL, and the figures around it. */
export function loadResultText(result: LoadResult, output: string): string {
  const rows = result.sla.map((verdict) => [
    METRIC_NAMES[verdict.metric],
    slaFigure(verdict.metric, verdict.value),
    `${verdict.comparison === '<=' ? '≤' : '≥'} ${slaFigure(verdict.metric, verdict.threshold)}`,
    verdict.passed ? 'PASS' : 'FAIL',
  ]);
  const { totals, latencyMs: l, config } = result;
  const failures = Object.entries(result.failures);
  const lines = [
    formatTable(['metric', 'value', 'threshold', 'result'], rows).trimEnd(),
    '',
    `${result.model} model · ${config.strategies} strategies · ${totals.placed}/${totals.intents} orders placed ` +
      `in ${totals.activeSeconds.toFixed(1)} s (peak ${totals.peakPerSecond}/s)` +
      (result.model === 'open' ? ` · ${totals.late} late, ${totals.dropped} dropped` : ''),
    `latency ms (intent → ack${result.model === 'closed' ? ', coordinated omission corrected' : ''}): ` +
      `p50 ${fixed(l.p50)} · p90 ${fixed(l.p90)} · p95 ${fixed(l.p95)} · p99 ${fixed(l.p99)} · ` +
      `p99.9 ${fixed(l.p999)} · max ${fixed(l.max)}`,
    failures.length > 0
      ? `failures: ${failures.map(([type, n]) => `${type} ${n}`).join(', ')}`
      : 'failures: none',
    ...(result.error ? [`error: ${result.error}`] : []),
    `verdict: ${result.status === 'aborted' ? 'ABORTED' : result.passed ? 'PASS' : 'FAIL'} · results: ${output}`,
  ];
  return `${lines.join('\n')}\n`;
}

function fixed(value: number): string {
  return value.toFixed(1);
}
