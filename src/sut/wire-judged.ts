import { EventEmitter } from 'node:events';
import { statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { World, WireOrderOutcome } from '../stack/index.js';
import { judgeIntentsFile, wireOutcome } from './intents-summary.js';
import type { OrderAccount, ScenarioCue, SystemEvents } from './system.js';
import { writePhase, type TargetFiles } from './target-env.js';

/**
 * What every bot this tool knows only from the outside shares, whether it
 * runs it or not: its order outcomes are the wire's, it has no watchdog,
 * no journal and no count of refused connections, it learns the phase from
 * a file, and its own account of its orders is, if it cooperates, its
 * intents file.
 */
export abstract class WireJudgedSystem {
  readonly kind = 'external';
  readonly clientIdsNameIntents = false;
  readonly countsRefusedConnections = false;
  readonly events = new EventEmitter<SystemEvents>();
  readonly apiKey: string;
  readonly watchdogLog = undefined;
  readonly summary = undefined;
  readonly startedAt = Date.now();
  /** The intents file's lines from this byte on are this system's (an attached bot keeps one file across scenarios). */
  private readonly intentsFromByte: number;
  private counting = true;

  /** @param intentsRequired the bot must report its intents (--target-intents). */
  constructor(
    protected readonly world: World,
    private readonly files: TargetFiles,
    private readonly intentsRequired: boolean,
  ) {
    this.apiKey = world.account.apiKey;
    this.intentsFromByte = sizeOf(files.intentsFile);
    world.evidence.on('orderOutcome', this.forward);
  }

  cue(cue: ScenarioCue): Promise<void> {
    return writePhase(this.files.phaseFile, cue.phase);
  }

  refusedConnections(): Promise<undefined> {
    return Promise.resolve(undefined);
  }

  componentHealthy(): Promise<undefined> {
    return Promise.resolve(undefined);
  }

  async orderAccount(): Promise<OrderAccount> {
    const reported = await stat(this.files.intentsFile).then(
      (found) => found.size > this.intentsFromByte,
      () => false,
    );
    return judgeIntentsFile({
      reported,
      required: this.intentsRequired,
      intentsFile: this.files.intentsFile,
      world: this.world,
      apiKey: this.apiKey,
      since: this.startedAt,
      fromByte: this.intentsFromByte,
    });
  }

  /**
   * Waits at most `timeoutS` for the bot's sign of being ready; at the
   * timeout it fails with `notReady()`'s words, on an abort with the abort.
   */
  protected async readyWithin(
    timeoutS: number,
    signal: AbortSignal,
    sign: (signal: AbortSignal) => Promise<unknown>,
    notReady: () => string,
  ): Promise<void> {
    // Aborted once the wait is over, so whatever still listens for the sign lets go.
    const done = new AbortController();
    const linked = AbortSignal.any([signal, done.signal, AbortSignal.timeout(timeoutS * 1000)]);
    try {
      await sign(linked);
    } catch (error) {
      signal.throwIfAborted();
      if (linked.aborted) throw new Error(notReady());
      throw error;
    } finally {
      done.abort();
    }
  }

  /** Its orders no longer count (it is being stopped, or the scenario is over). */
  protected stopCounting(): void {
    if (!this.counting) return;
    this.counting = false;
    this.world.evidence.off('orderOutcome', this.forward);
  }

  private readonly forward = (outcome: WireOrderOutcome): void => {
    this.events.emit('outcome', wireOutcome(outcome));
  };
}

/** A file's size now; 0 when it does not exist yet. */
function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
