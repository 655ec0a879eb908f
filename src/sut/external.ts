import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { sleep } from '../common/index.js';
import type { World } from '../stack/index.js';
import { OutputCapture } from './output-tail.js';
import { ProcessGroup } from './process-group.js';
import type { SystemReport, SystemStarter, SystemUnderTest } from './system.js';
import { targetEnvironment, targetFiles, type TargetFiles } from './target-env.js';
import { WireJudgedSystem } from './wire-judged.js';

export interface ExternalTargetOptions {
  /** A shell command line: the user's bot. */
  command: string;
  /** Ready when a line of its output matches; default: at its first authenticated request to the venue. */
  readyPattern?: RegExp;
  /** Ready when this URL answers 2xx. */
  healthUrl?: string;
  /** Longest wait for ready, s. Default 60. */
  readyTimeoutSeconds?: number;
  /** Between SIGTERM and SIGKILL at the stop, s. Default 10. */
  graceSeconds?: number;
  /** The bot must report its intents (N1V1_INTENTS_FILE); default: judged only when it does. */
  intentsRequired?: boolean;
}

export const EXTERNAL_DEFAULTS = { readyTimeoutSeconds: 60, graceSeconds: 10 };

/** The user's bot, any language, as a system under test: one process group per scenario. */
export function externalProcess(options: ExternalTargetOptions): SystemStarter {
  return async (world, context) => {
    const files = await targetFiles(context.runDir);
    const env = targetEnvironment(world, files, context.scenario);
    const logDir = context.logDir ?? context.runDir;
    await mkdir(logDir, { recursive: true });
    return new ExternalSystem(
      world,
      options,
      files,
      env,
      join(logDir, `${context.logName}-target.log`),
    );
  };
}

/**
 * Judged only from what it cannot fake: the venue's records and the wire's.
 * Its order outcomes are the wire's (an order request that ended at the
 * exchange proxy, accepted at the venue with its answer delivered, or not);
 * it has no watchdog and no journal, only, if it cooperates, an intents file.
 */
export class ExternalSystem extends WireJudgedSystem implements SystemUnderTest {
  private readonly group: ProcessGroup;
  private readonly output: OutputCapture;
  private report: Promise<SystemReport> | undefined;

  constructor(
    world: World,
    private readonly options: ExternalTargetOptions,
    files: TargetFiles,
    env: Record<string, string>,
    logFile: string,
  ) {
    super(world, files, options.intentsRequired ?? false);
    this.group = new ProcessGroup(options.command, env, process.cwd());
    this.output = new OutputCapture(logFile, [this.group.child.stdout, this.group.child.stderr]);
  }

  get running(): boolean {
    return this.group.running;
  }

  ready(signal: AbortSignal): Promise<void> {
    const timeoutS = this.options.readyTimeoutSeconds ?? EXTERNAL_DEFAULTS.readyTimeoutSeconds;
    return this.readyWithin(
      timeoutS,
      signal,
      (linked) => Promise.race([this.readySign(linked), this.exitBeforeReady()]),
      () =>
        `the target was not ready within ${timeoutS} s (${this.readyWhat()})${this.lastWords()}`,
    );
  }

  stop(): Promise<SystemReport> {
    // One stop however many ask (an abort may come while the run stops it).
    this.report ??= this.stopOnce();
    return this.report;
  }

  private async stopOnce(): Promise<SystemReport> {
    const diedEarly = !this.group.running;
    this.stopCounting();
    const graceMs = (this.options.graceSeconds ?? EXTERNAL_DEFAULTS.graceSeconds) * 1000;
    const stopped = await this.group.stop(graceMs);
    const exit = await this.group.exited;
    await this.output.close();
    const how = exitText(exit);
    return {
      kind: 'external',
      command: this.options.command,
      exitCode: exit.code,
      signal: exit.signal,
      survived: !diedEarly,
      runByThisTool: true,
      detail: diedEarly
        ? `exited on its own (${how}) before the runner stopped it`
        : `ran until stopped; exited with ${how}${stopped.killed ? ' after SIGKILL (it outlived the grace period)' : ''}`,
      lastOutput: this.output.lastLines(),
      logFile: this.output.path,
      leftProcessesBehind: stopped.leftover,
    };
  }

  async close(): Promise<void> {
    await this.stop();
  }

  /** The sign the user chose, or the first authenticated request the venue answered. */
  private async readySign(signal: AbortSignal): Promise<void> {
    const { readyPattern, healthUrl } = this.options;
    if (readyPattern) return this.lineMatching(readyPattern, signal);
    if (healthUrl) return this.healthAnswers(healthUrl, signal);
    await this.world.evidence.signedRequestSince(this.startedAt, signal);
  }

  private readyWhat(): string {
    if (this.options.readyPattern) return `no output line matched ${this.options.readyPattern}`;
    if (this.options.healthUrl) return `${this.options.healthUrl} never answered 2xx`;
    return 'it made no authenticated request to the venue';
  }

  private lineMatching(pattern: RegExp, signal: AbortSignal): Promise<void> {
    // A ready line printed before anyone asked still counts.
    if (this.output.lastLines().some((line) => pattern.test(line))) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const stop = this.output.onLine((line) => {
        if (!pattern.test(line)) return;
        stop();
        resolve();
      });
      signal.addEventListener('abort', () => {
        stop();
        reject(signal.reason as Error);
      });
    });
  }

  private async healthAnswers(url: string, signal: AbortSignal): Promise<void> {
    for (;;) {
      const ok = await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(1_000)]) })
        .then(async (response) => {
          // Read to the end, so each poll's connection goes back to the pool.
          await response.body?.cancel();
          return response.ok;
        })
        .catch(() => false);
      if (ok) return;
      await sleep(200, signal);
    }
  }

  private async exitBeforeReady(): Promise<never> {
    const exit = await this.group.exited;
    // Let the last lines it printed reach the tail first.
    await sleep(100);
    throw new Error(`the target exited (${exitText(exit)}) before it was ready${this.lastWords()}`);
  }

  private lastWords(): string {
    const lines = this.output.lastLines().slice(-5);
    return lines.length === 0 ? '; it printed nothing' : `; its last output: ${lines.join(' | ')}`;
  }
}

/** How a process ended, in words. */
function exitText(exit: {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: string;
}): string {
  if (exit.error !== undefined) return `it could not be started: ${exit.error}`;
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}
