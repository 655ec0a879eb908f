import type { World } from '../stack/index.js';
import { EXTERNAL_DEFAULTS } from './external.js';
import type { SystemReport, SystemStarter, SystemUnderTest } from './system.js';
import type { TargetFiles } from './target-env.js';
import { WireJudgedSystem } from './wire-judged.js';

export interface AttachedTargetOptions {
  /** The files the bot was told of in the printed env block (intents, phase). */
  files: TargetFiles;
  /** Longest wait for the bot's first authenticated request in a scenario, s. Default 60. */
  readyTimeoutSeconds?: number;
  /** The bot must report its intents. */
  intentsRequired?: boolean;
}

/**
 * A bot this tool does not run (in a container, under a debugger, on another
 * host of the user's test network): it connects to a world that outlives the
 * scenarios, and is judged from the same evidence as any other. What only a
 * process we run can show (how it exited) is skipped.
 */
export function attachedTarget(options: AttachedTargetOptions): SystemStarter {
  return (world) => Promise.resolve(new AttachedSystem(world, options));
}

class AttachedSystem extends WireJudgedSystem implements SystemUnderTest {
  /** Whether the bot still runs is not this tool's to see. */
  readonly running = true;

  constructor(
    world: World,
    private readonly options: AttachedTargetOptions,
  ) {
    super(world, options.files, options.intentsRequired ?? false);
  }

  ready(signal: AbortSignal): Promise<void> {
    const timeoutS = this.options.readyTimeoutSeconds ?? EXTERNAL_DEFAULTS.readyTimeoutSeconds;
    return this.readyWithin(
      timeoutS,
      signal,
      (linked) => this.world.evidence.signedRequestSince(this.startedAt, linked),
      () =>
        `the target made no authenticated request to ${this.world.endpoints.exchangeProxy} within ${timeoutS} s`,
    );
  }

  stop(): Promise<SystemReport> {
    this.stopCounting();
    return Promise.resolve({
      kind: 'external',
      command: null,
      exitCode: null,
      signal: null,
      survived: true,
      runByThisTool: false,
      detail: 'runs outside this tool: not stopped, its exit not seen',
      lastOutput: [],
      logFile: null,
      leftProcessesBehind: false,
    });
  }

  close(): Promise<void> {
    this.stopCounting();
    return Promise.resolve();
  }
}
