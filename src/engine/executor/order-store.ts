import { FINAL_STATUSES, OPEN_STATUSES, type OrderRecord } from '../../journal/index.js';
import { signedExecuted } from './records.js';

/**
 * The engine's in-memory view of its live orders: those in flight, unresolved
 * or resting at the venue. Final orders leave it, so memory stays bounded
 * however long the engine trades; positions keep what their fills added.
 */
/** Recently finished orders remembered, so a stale update cannot bring one back to life. */
const RECENT_FINAL_KEPT = 10_000;

export class OrderStore {
  private readonly live = new Map<string, OrderRecord>();
  /** Version at which recent orders became final, oldest first. */
  private readonly recentFinal = new Map<string, number>();
  private readonly byStrategy = new Map<string, Map<string, OrderRecord>>();
  /** Net executed base quantity per `${strategyId} ${symbol}`. */
  private readonly positions = new Map<string, number>();

  get size(): number {
    return this.live.size;
  }

  get(clientOrderId: string): OrderRecord | undefined {
    return this.live.get(clientOrderId);
  }

  /** The newest version this store has seen of an order, live or recently final. */
  latestVersion(clientOrderId: string): number | undefined {
    return this.live.get(clientOrderId)?.version ?? this.recentFinal.get(clientOrderId);
  }

  /**
   * Records the latest state of an order; a final order is dropped after its
   * fills are counted. A version not newer than the one held is refused
   * (returns false): two writers racing on one order cannot count a fill twice
   * or revive a finished order.
   */
  put(record: OrderRecord): boolean {
    const latest = this.latestVersion(record.clientOrderId);
    if (latest !== undefined && record.version <= latest) return false;
    const before = this.live.get(record.clientOrderId);
    const delta = signedExecuted(record) - (before ? signedExecuted(before) : 0);
    if (delta !== 0) {
      const key = positionKey(record.strategyId, record.symbol);
      this.positions.set(key, (this.positions.get(key) ?? 0) + delta);
    }
    const ofStrategy = this.strategyOrders(record.strategyId);
    if (FINAL_STATUSES.has(record.status)) {
      this.live.delete(record.clientOrderId);
      ofStrategy.delete(record.clientOrderId);
      this.rememberFinal(record);
    } else {
      this.live.set(record.clientOrderId, record);
      ofStrategy.set(record.clientOrderId, record);
    }
    return true;
  }

  private rememberFinal(record: OrderRecord): void {
    this.recentFinal.set(record.clientOrderId, record.version);
    if (this.recentFinal.size <= RECENT_FINAL_KEPT) return;
    const oldest = this.recentFinal.keys().next().value;
    if (oldest !== undefined) this.recentFinal.delete(oldest);
  }

  /** Takes a journaled order back into memory after a restart; its fills are already in the restored positions. */
  adopt(record: OrderRecord): void {
    if (FINAL_STATUSES.has(record.status)) return;
    this.live.set(record.clientOrderId, record);
    this.strategyOrders(record.strategyId).set(record.clientOrderId, record);
  }

  /** Net base-asset position of a strategy in a symbol. */
  position(strategyId: string, symbol: string): number {
    return this.positions.get(positionKey(strategyId, symbol)) ?? 0;
  }

  /** Sets positions wholesale, e.g. from the journal at start. */
  restorePosition(strategyId: string, symbol: string, baseQuantity: number): void {
    this.positions.set(positionKey(strategyId, symbol), baseQuantity);
  }

  /** Live orders, optionally of one strategy. */
  orders(strategyId?: string): OrderRecord[] {
    if (strategyId === undefined) return [...this.live.values()];
    return [...(this.byStrategy.get(strategyId)?.values() ?? [])];
  }

  /** Live orders of a strategy that are not resting at the venue: in flight or unresolved. */
  inFlight(strategyId: string): number {
    let count = 0;
    for (const order of this.byStrategy.get(strategyId)?.values() ?? []) {
      if (!OPEN_STATUSES.has(order.status)) count += 1;
    }
    return count;
  }

  private strategyOrders(strategyId: string): Map<string, OrderRecord> {
    let orders = this.byStrategy.get(strategyId);
    if (!orders) {
      orders = new Map();
      this.byStrategy.set(strategyId, orders);
    }
    return orders;
  }

  openOrders(strategyId: string): OrderRecord[] {
    return this.orders(strategyId).filter((order) => OPEN_STATUSES.has(order.status));
  }
}

function positionKey(strategyId: string, symbol: string): string {
  return `${strategyId} ${symbol}`;
}
