import { formatAmount, signedAmount, type Amount } from '../../common/index.js';
import type { Journal, OrderRecord } from '../../journal/index.js';
import type { MarketRules, VenueClient, VenueTrade } from '../connector/index.js';

export interface BalanceCheckContext {
  venue: VenueClient;
  journal: Journal;
  rules: ReadonlyMap<string, MarketRules>;
  signal: AbortSignal;
  /** The journal's orders, when the caller has just read them; read here otherwise. */
  orders?: readonly OrderRecord[];
}

/** One asset: what the journal says the balance should be, and what the venue holds. */
export interface AssetBalance {
  asset: string;
  baseline: string;
  /** Baseline plus the journal's fills, less the fees the venue charged for them. */
  expected: string;
  /** Free plus locked at the venue. */
  actual: string;
  difference: string;
}

export interface FillMismatch {
  clientOrderId: string;
  journalExecutedQty: string;
  venueFilledQty: string;
}

export interface BalanceReport {
  at: number;
  /** False when nothing could be compared; `reason` says why. */
  checked: boolean;
  reason?: string;
  /** Every asset the journal's orders touched or whose balance differs. */
  assets: AssetBalance[];
  /** Orders whose journaled executed quantity is not the sum of their fills at the venue. */
  fillMismatches: FillMismatch[];
  /** Fills at the venue for orders the journal does not have. */
  unknownFills: number;
  ok: boolean;
}

/**
 * Explains the venue's balances from the journal, exactly: the balances at
 * the last quiet start, plus the fills of every order since, less the fees
 * the venue charged (read from its trade list). Meaningful when nothing is in
 * flight: the engine runs it after its final reconcile.
 */
export async function checkBalances(context: BalanceCheckContext): Promise<BalanceReport> {
  const { venue, journal, signal } = context;
  const at = Date.now();
  const baseline = await journal.balanceBaseline();
  if (!baseline) return unchecked(at, 'no balance baseline: the engine never started quiet');
  // Orders from before the baseline were final when it was taken: their fills are in it.
  const orders = (context.orders ?? (await journal.orders())).filter(
    (order) => order.createdAt >= baseline.at,
  );
  const deltas = new Map<string, Amount>();
  const byExchangeId = new Map<string, OrderRecord>();
  const symbols = new Set<string>();
  for (const order of orders) {
    if (order.exchangeOrderId) byExchangeId.set(order.exchangeOrderId, order);
    const executed = signedAmount(order.executedQty);
    if (executed === 0n) continue;
    const market = context.rules.get(order.symbol);
    if (!market) return unchecked(at, `no market rules for ${order.symbol}`);
    symbols.add(order.symbol);
    const sign = order.side === 'BUY' ? 1n : -1n;
    add(deltas, market.base, sign * executed);
    add(deltas, market.quote, -sign * signedAmount(order.cumulativeQuote));
  }
  const trades: VenueTrade[] = [];
  for (const symbol of symbols) trades.push(...(await venue.trades(symbol, baseline.at, signal)));
  const fills = new Map<string, Amount>();
  let unknownFills = 0;
  for (const trade of trades) {
    if (!byExchangeId.has(trade.exchangeOrderId)) {
      unknownFills += 1;
      continue;
    }
    add(fills, trade.exchangeOrderId, signedAmount(trade.quantity));
    add(deltas, trade.feeAsset, -signedAmount(trade.fee));
  }
  const actual = await venue.balances(signal);
  const assets = compareAssets(baseline.balances, deltas, actual);
  const fillMismatches = compareFills(byExchangeId, fills);
  const ok =
    unknownFills === 0 &&
    fillMismatches.length === 0 &&
    assets.every((a) => a.difference === formatAmount(0n));
  return { at, checked: true, assets, fillMismatches, unknownFills, ok };
}

function compareAssets(
  baseline: Record<string, string>,
  deltas: Map<string, Amount>,
  actual: Map<string, { free: string; locked: string }>,
): AssetBalance[] {
  const names = new Set([...deltas.keys(), ...Object.keys(baseline), ...actual.keys()]);
  const assets: AssetBalance[] = [];
  for (const asset of [...names].sort()) {
    const start = signedAmount(baseline[asset] ?? '0');
    const expected = start + (deltas.get(asset) ?? 0n);
    const held = actual.get(asset);
    const now = held ? signedAmount(held.free) + signedAmount(held.locked) : 0n;
    if (!deltas.has(asset) && now === expected) continue;
    assets.push({
      asset,
      baseline: formatAmount(start),
      expected: formatAmount(expected),
      actual: formatAmount(now),
      difference: formatAmount(now - expected),
    });
  }
  return assets;
}

function compareFills(
  byExchangeId: Map<string, OrderRecord>,
  fills: Map<string, Amount>,
): FillMismatch[] {
  const mismatches: FillMismatch[] = [];
  for (const [exchangeOrderId, order] of byExchangeId) {
    const journalQty = signedAmount(order.executedQty);
    const venueQty = fills.get(exchangeOrderId) ?? 0n;
    if (journalQty === venueQty) continue;
    mismatches.push({
      clientOrderId: order.clientOrderId,
      journalExecutedQty: order.executedQty,
      venueFilledQty: formatAmount(venueQty),
    });
  }
  return mismatches;
}

function unchecked(at: number, reason: string): BalanceReport {
  return { at, checked: false, reason, assets: [], fillMismatches: [], unknownFills: 0, ok: true };
}

function add(totals: Map<string, Amount>, key: string, value: Amount): void {
  totals.set(key, (totals.get(key) ?? 0n) + value);
}
