import { EventEmitter } from 'node:events';
import { SeededRandom } from '../../common/index.js';
import type { OrderRecord } from '../../journal/index.js';
import type { BookTop, MarketRules } from '../connector/venue-client.js';
import type { Strategy, StrategyAction, StrategyContext } from './strategy.js';

/** What the runner needs from the engine; every callback is cheap and synchronous but `submit`. */
export interface StrategyRunnerOptions {
  strategies: readonly Strategy[];
  book(symbol: string): BookTop | undefined;
  rules(symbol: string): MarketRules | undefined;
  /** The strategy's orders resting at the venue. */
  openOrders(strategyId: string): readonly OrderRecord[];
  /** The strategy's net base-asset position in the symbol. */
  position(strategyId: string, symbol: string): number;
  /** The strategy's orders not yet open or final. */
  inFlight(strategyId: string): number;
  /** Hands an action to the executor. Not awaited by the loop; a rejection is counted and reported. */
  submit(action: StrategyAction, strategy: Strategy): Promise<unknown>;
  /** A tick is skipped while more than this many of the strategy's actions are in flight. Default 4. */
  maxInFlightPerStrategy?: number;
  /** Seed of the start offsets (each loop starts within its first interval). Default 0. */
  seed?: number;
  /** Clock, ms since the epoch. Default Date.now. */
  now?: () => number;
  /** Aborting stops every loop, as stop() does. */
  signal?: AbortSignal;
}

/** Defaults of the optional fields of StrategyRunnerOptions. */
export const RUNNER_DEFAULTS = { maxInFlightPerStrategy: 4, seed: 0 } as const;

/** Counters of one strategy loop since start. */
export interface StrategyCounters {
  ticks: number;
  /** Ticks skipped because too many actions were in flight. */
  skipped: number;
  places: number;
  cancels: number;
  decideErrors: number;
  submitErrors: number;
  /** Actions handed to submit whose promise has not settled yet. */
  inFlight: number;
}

export interface StrategyTickEvent {
  strategyId: string;
  at: number;
  /** Actions handed to submit this tick. */
  actions: number;
  skipped: boolean;
}

export interface StrategyErrorEvent {
  strategyId: string;
  at: number;
  /** decide() threw, or the promise submit returned rejected. */
  phase: 'decide' | 'submit';
  error: unknown;
}

export interface StrategyRunnerEvents {
  tick: [StrategyTickEvent];
  error: [StrategyErrorEvent];
}

interface Loop {
  strategy: Strategy;
  counters: StrategyCounters;
  startOffsetMs: number;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Runs every strategy in its own timer loop. A tick builds the strategy's
 * context from the engine's callbacks, calls decide(), and hands each action
 * to `submit` without waiting, so one slow order never delays another
 * strategy or the next tick. Loops start at seeded offsets within their first
 * interval so fifty of them do not fire in the same millisecond.
 */
export class StrategyRunner extends EventEmitter<StrategyRunnerEvents> {
  private readonly options: StrategyRunnerOptions;
  private readonly maxInFlight: number;
  private readonly now: () => number;
  private readonly loops: Loop[];
  private running = false;
  private lastTick: number | undefined;
  private readonly onAbort = (): void => void this.stop();

  constructor(options: StrategyRunnerOptions) {
    super();
    this.options = options;
    this.maxInFlight = options.maxInFlightPerStrategy ?? RUNNER_DEFAULTS.maxInFlightPerStrategy;
    this.now = options.now ?? Date.now;
    const random = new SeededRandom(options.seed ?? RUNNER_DEFAULTS.seed);
    const ids = new Set<string>();
    this.loops = options.strategies.map((strategy) => {
      if (ids.has(strategy.id)) throw new RangeError(`duplicate strategy id: ${strategy.id}`);
      ids.add(strategy.id);
      return {
        strategy,
        counters: emptyCounters(),
        startOffsetMs: random.int(0, Math.max(0, strategy.intervalMs - 1)),
        timer: undefined,
      };
    });
  }

  /** True between start() and stop(). */
  get isRunning(): boolean {
    return this.running;
  }

  /** When any loop last ticked (ms since the epoch); undefined before the first tick. */
  get lastTickAt(): number | undefined {
    return this.lastTick;
  }

  /** The slowest loop's interval: with every loop turning, some tick comes at least this often. */
  get longestIntervalMs(): number {
    return Math.max(0, ...this.loops.map((loop) => loop.strategy.intervalMs));
  }

  /** Starts every loop; does nothing when already running or when the signal has aborted. */
  start(): void {
    if (this.running || this.options.signal?.aborted) return;
    this.running = true;
    this.options.signal?.addEventListener('abort', this.onAbort, { once: true });
    for (const loop of this.loops) this.schedule(loop, loop.startOffsetMs);
  }

  /** Stops every loop. Resolves once no tick can run; actions already submitted go on. */
  stop(): Promise<void> {
    this.running = false;
    this.options.signal?.removeEventListener('abort', this.onAbort);
    for (const loop of this.loops) {
      clearTimeout(loop.timer);
      loop.timer = undefined;
    }
    return Promise.resolve();
  }

  /** A copy of every loop's counters, by strategy id. */
  stats(): Record<string, StrategyCounters> {
    const result: Record<string, StrategyCounters> = {};
    for (const loop of this.loops) result[loop.strategy.id] = { ...loop.counters };
    return result;
  }

  private schedule(loop: Loop, delayMs: number): void {
    loop.timer = setTimeout(() => {
      if (!this.running) return;
      // Schedule first: whatever the tick or a listener throws, the loop goes on.
      this.schedule(loop, loop.strategy.intervalMs);
      this.tick(loop);
    }, delayMs);
    loop.timer.unref();
  }

  private tick(loop: Loop): void {
    const { strategy, counters } = loop;
    const at = this.now();
    this.lastTick = at;
    counters.ticks += 1;
    if (counters.inFlight > this.maxInFlight) {
      counters.skipped += 1;
      this.emit('tick', { strategyId: strategy.id, at, actions: 0, skipped: true });
      return;
    }
    let actions: StrategyAction[];
    try {
      actions = strategy.decide(this.contextFor(strategy, at));
    } catch (error) {
      counters.decideErrors += 1;
      this.reportError({ strategyId: strategy.id, at, phase: 'decide', error });
      return;
    }
    for (const action of actions) this.submit(loop, action);
    this.emit('tick', { strategyId: strategy.id, at, actions: actions.length, skipped: false });
  }

  private submit(loop: Loop, action: StrategyAction): void {
    const { strategy, counters } = loop;
    if (action.kind === 'place') counters.places += 1;
    else counters.cancels += 1;
    counters.inFlight += 1;
    let pending: Promise<unknown>;
    try {
      pending = Promise.resolve(this.options.submit(action, strategy));
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(
      () => {
        counters.inFlight -= 1;
      },
      (error: unknown) => {
        counters.inFlight -= 1;
        counters.submitErrors += 1;
        this.reportError({ strategyId: strategy.id, at: this.now(), phase: 'submit', error });
      },
    );
  }

  private contextFor(strategy: Strategy, now: number): StrategyContext {
    const { options } = this;
    return {
      now,
      book: (symbol) => options.book(symbol),
      rules: (symbol) => options.rules(symbol),
      openOrders: () => options.openOrders(strategy.id),
      position: (symbol) => options.position(strategy.id, symbol),
      inFlight: () => options.inFlight(strategy.id),
    };
  }

  /** Node throws an 'error' event nobody listens to; an unobserved strategy error must not crash the engine. */
  private reportError(event: StrategyErrorEvent): void {
    if (this.listenerCount('error') > 0) this.emit('error', event);
  }
}

function emptyCounters(): StrategyCounters {
  return {
    ticks: 0,
    skipped: 0,
    places: 0,
    cancels: 0,
    decideErrors: 0,
    submitErrors: 0,
    inFlight: 0,
  };
}
