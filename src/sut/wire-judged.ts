import { EventEmitter } from 'node:events';
import { statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { World, WireOrderOutcome } from '../stack/index.js';
import { judgeIntentsFile, wireOutcome } from './intents-summary.js';
import type { OrderAccount, SystemEvents } from './system.js';

/** Where a bot reports its intents, and whether it must. */
export interface IntentsReporting {
  intentsFile: string;
  required: boolean;
}

/**
 * What every bot this tool knows only from the outside shares, whether it
 * runs it or not: its order outcomes are the wire's, it has no watchdog,
 * no journal and no count of refused connections, and its own account of
 * its orders is, if it cooperates, its intents file.
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

  constructor(
    protected readonly world: World,
    private readonly intents: IntentsReporting,
  ) {
    this.apiKey = world.account.apiKey;
    this.intentsFromByte = sizeOf(intents.intentsFile);
    world.evidence.on('orderOutcome', this.forward);
  }

  refusedConnections(): Promise<undefined> {
    return Promise.resolve(undefined);
  }

  componentHealthy(): Promise<undefined> {
    return Promise.resolve(undefined);
  }

  async orderAccount(): Promise<OrderAccount> {
    const reported = await stat(this.intents.intentsFile).then(
      (found) => found.size > this.intentsFromByte,
      () => false,
    );
    return judgeIntentsFile({
      reported,
      required: this.intents.required,
      intentsFile: this.intents.intentsFile,
      world: this.world,
      apiKey: this.apiKey,
      since: this.startedAt,
      fromByte: this.intentsFromByte,
    });
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
