import { SeededRandom } from '../../common/index.js';
import { MarketMaker } from './market-maker.js';
import { Momentum } from './momentum.js';
import { RandomTaker } from './random-taker.js';
import type { Strategy, StrategySettings } from './strategy.js';

/** The built-in strategy kinds. */
export type StrategyKind = 'random-taker' | 'market-maker' | 'momentum';

export const STRATEGY_KINDS: readonly StrategyKind[] = ['random-taker', 'market-maker', 'momentum'];

/** Id prefix per kind: ids read `rt01`, `mm02`, `mo03`. */
const PREFIXES: Record<StrategyKind, string> = {
  'random-taker': 'rt',
  'market-maker': 'mm',
  momentum: 'mo',
};

const BUILDERS: Record<StrategyKind, (settings: StrategySettings) => Strategy> = {
  'random-taker': (settings) => new RandomTaker(settings),
  'market-maker': (settings) => new MarketMaker(settings),
  momentum: (settings) => new Momentum(settings),
};

export interface BuildStrategiesOptions {
  /** How many strategies. */
  count: number;
  /** Symbols to spread them over (unified, e.g. BTC/USDT); each strategy gets a subset. */
  symbols: readonly string[];
  /** Seed of the whole set: same seed, same strategies, same decisions for the same inputs. */
  seed: number;
  /** Loop interval of every strategy, ms. Default 1000. */
  intervalMs?: number;
  /** Order value each aims for, in the quote asset. Default 100. */
  orderNotional?: number;
  /** Kinds to cycle through, in order. Default all three: random-taker, market-maker, momentum. */
  mix?: readonly StrategyKind[];
  /** Most symbols one strategy trades. Default 3. */
  maxSymbolsPerStrategy?: number;
}

/** Defaults of the optional fields of BuildStrategiesOptions. */
export const BUILD_DEFAULTS = {
  intervalMs: 1000,
  orderNotional: 100,
  maxSymbolsPerStrategy: 3,
} as const;

/**
 * Builds `count` strategies cycling through the kinds of `mix`. Ids are the
 * kind's prefix and a 1-based number padded to at least two digits, so client
 * order ids `<id>-<seq>` stay short and inside Binance's pattern. Each
 * strategy draws from its own forked random stream, and its symbols are a
 * window of the list starting at its own position, so every symbol is traded
 * when count ≥ symbols.
 */
export function buildStrategies(options: BuildStrategiesOptions): Strategy[] {
  const { count, symbols, seed } = options;
  const mix = options.mix ?? STRATEGY_KINDS;
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`bad strategy count: ${count}`);
  if (count > 0 && symbols.length === 0)
    throw new RangeError('strategies need at least one symbol');
  if (count > 0 && mix.length === 0) throw new RangeError('mix names no strategy kind');
  const unknown = mix.find((kind) => !STRATEGY_KINDS.includes(kind));
  if (unknown !== undefined) throw new RangeError(`unknown strategy kind: ${unknown}`);
  const intervalMs = options.intervalMs ?? BUILD_DEFAULTS.intervalMs;
  const orderNotional = options.orderNotional ?? BUILD_DEFAULTS.orderNotional;
  const maxSymbols = Math.min(
    symbols.length,
    options.maxSymbolsPerStrategy ?? BUILD_DEFAULTS.maxSymbolsPerStrategy,
  );
  const digits = Math.max(2, String(count).length);
  const master = new SeededRandom(seed);
  const strategies: Strategy[] = [];
  for (let index = 0; index < count; index += 1) {
    const kind = mix[index % mix.length] as StrategyKind;
    const random = master.fork();
    const take = master.int(1, Math.max(1, maxSymbols));
    const subset = Array.from(
      { length: take },
      (_, offset) => symbols[(index + offset) % symbols.length] as string,
    );
    const id = `${PREFIXES[kind]}${String(index + 1).padStart(digits, '0')}`;
    strategies.push(BUILDERS[kind]({ id, symbols: subset, random, intervalMs, orderNotional }));
  }
  return strategies;
}
