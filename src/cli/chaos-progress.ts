import type { Progress, Scenario, ScenarioResult } from '../chaos/index.js';

/** Where progress goes, and whether it may redraw a line in place. */
export interface ProgressOptions {
  stream: NodeJS.WriteStream;
  /** A terminal (and not CI): one line redrawn in place. Otherwise plain lines. */
  live: boolean;
  /** Plain mode: a line every second instead of every five and at phase changes. */
  verbose: boolean;
}

/**
 * Progress of a chaos run for people: on a terminal a status line redrawn
 * each second; in CI or a pipe, plain lines at phase changes and every few
 * seconds (every second with --verbose), so logs stay readable.
 */
export class ChaosProgress {
  private lastPhase = new Map<string, string>();
  private drawn = false;

  constructor(private readonly options: ProgressOptions) {}

  started(scenario: Scenario, iteration: number): void {
    this.line(
      `▶ ${scenario.name}${iteration > 1 ? ` (iteration ${iteration})` : ''}: ${scenario.description}`,
    );
  }

  tick(progress: Progress): void {
    const text = describe(progress);
    if (this.options.live) {
      this.options.stream.write(`\r\x1b[2K${text}`);
      this.drawn = true;
      return;
    }
    const changed = this.lastPhase.get(progress.scenario) !== progress.phase;
    this.lastPhase.set(progress.scenario, progress.phase);
    if (changed || this.options.verbose || progress.elapsedSeconds % 5 === 0) this.line(text);
  }

  finished(result: ScenarioResult): void {
    const verdict = verdictOf(result);
    if (result.status === 'skipped') {
      this.line(
        `${verdict} ${result.scenario.name}: ${result.error ?? 'does not apply to the target'}`,
      );
      return;
    }
    const recovery =
      result.recovery.seconds === null ? 'not detected' : `${result.recovery.seconds} s`;
    const failed = result.checks
      .filter((check) => !check.passed && check.skipped !== true)
      .map((check) => check.name);
    this.line(
      `${verdict} ${result.scenario.name}: recovery ${recovery} (SLA ${result.scenario.slaRecoverySeconds} s), ` +
        `failure rate ${result.chaosFailureRate ?? '–'}%` +
        (failed.length > 0 ? `; failed: ${failed.join(', ')}` : '') +
        (result.error ? `; ${result.error}` : ''),
    );
    if (this.options.verbose) {
      for (const check of result.checks)
        this.line(
          `   ${check.skipped ? '–' : check.passed ? '✓' : '✗'} ${check.name}: ${check.detail}`,
        );
    }
  }

  line(text: string): void {
    if (this.drawn) this.options.stream.write('\r\x1b[2K');
    this.drawn = false;
    this.options.stream.write(`${text}\n`);
  }
}

function describe(progress: Progress): string {
  const left = progress.remainingSeconds === null ? '' : `, ${progress.remainingSeconds} s left`;
  return (
    `${progress.scenario} · ${progress.phase}${left} · ${progress.elapsedSeconds} s · ` +
    `${progress.ordersPerSecond} orders/s · ${progress.failuresPerSecond} failed/s · ` +
    `target ${progress.targetFailures}/${progress.targetRequests} failed`
  );
}

/** PASS, FAIL, or why there is no verdict (ABORTED, ERROR). */
export function verdictOf(result: ScenarioResult): string {
  if (result.passed) return 'PASS';
  return result.status === 'completed' ? 'FAIL' : result.status.toUpperCase();
}
