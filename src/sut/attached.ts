import { EventEmitter } from 'node:events';
import { stat } from 'node:fs/promises';
import type { World, WireOrderOutcome } from '../stack/index.js';
import { EXTERNAL_DEFAULTS } from './external.js';
import { judgeIntentsFile, wireOutcome } from './intents-summary.js';
import type {
  OrderAccount,
  ScenarioCue,
  SystemEvents,
  SystemReport,
  SystemStarter,
  SystemUnderTest,
} from './system.js';
import { writePhase, type TargetFiles } from './target-env.js';

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

class AttachedSystem implements SystemUnderTest {
  readonly kind = 'external';
  readonly clientIdsNameIntents = false;
  readonly countsRefusedConnections = false;
  readonly events = new EventEmitter<SystemEvents>();
  readonly apiKey: string;
  /** Whether the bot still runs is not this tool's to see. */
  readonly running = true;
  readonly watchdogLog = undefined;
  readonly summary = undefined;
  private readonly startedAt = Date.now();
  private stopped = false;

  constructor(
    private readonly world: World,
    private readonly options: AttachedTargetOptions,
  ) {
    this.apiKey = world.account.apiKey;
    world.evidence.on('orderOutcome', this.forward);
  }

  async ready(signal: AbortSignal): Promise<void> {
    const timeoutS = this.options.readyTimeoutSeconds ?? EXTERNAL_DEFAULTS.readyTimeoutSeconds;
    const linked = AbortSignal.any([signal, AbortSignal.timeout(timeoutS * 1000)]);
    try {
      await this.world.evidence.signedRequestSince(this.startedAt, linked);
    } catch (error) {
      signal.throwIfAborted();
      if (linked.aborted) {
        throw new Error(
          `the target made no authenticated request to ${this.world.endpoints.exchangeProxy} within ${timeoutS} s`,
        );
      }
      throw error;
    }
  }

  cue(cue: ScenarioCue): Promise<void> {
    return writePhase(this.options.files.phaseFile, cue.phase);
  }

  refusedConnections(): Promise<undefined> {
    return Promise.resolve(undefined);
  }

  componentHealthy(): Promise<undefined> {
    return Promise.resolve(undefined);
  }

  stop(): Promise<SystemReport> {
    this.close();
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

  async orderAccount(): Promise<OrderAccount> {
    const reported = await stat(this.options.files.intentsFile).then(
      (found) => found.size > 0,
      () => false,
    );
    return judgeIntentsFile({
      reported,
      required: this.options.intentsRequired ?? false,
      intentsFile: this.options.files.intentsFile,
      world: this.world,
      apiKey: this.apiKey,
      since: this.startedAt,
    });
  }

  close(): Promise<void> {
    if (!this.stopped) this.world.evidence.off('orderOutcome', this.forward);
    this.stopped = true;
    return Promise.resolve();
  }

  private readonly forward = (outcome: WireOrderOutcome): void => {
    this.events.emit('outcome', wireOutcome(outcome));
  };
}
