/**
 * Duplicate orders: the failure that costs a trading bot real money. When an
 * order's answer is lost (reset, timeout, replaced), the bot cannot know
 * whether the venue executed it; sending it again without asking the venue
 * first doubles the position. Judged from the venue's and the wire's records
 * only, which the bot cannot touch.
 *
 * The wire is read first (see LostAnswers), then the venue once, in the
 * order it answered, keeping per API key and symbol only the orders whose
 * answer was lost and that the bot has not yet asked about.
 */
import { ORDER_QUERY_PATHS, type VenueRequest, type WireRequest } from '../evidence/model.js';
import { LostAnswers, type LostAnswer } from './answers.js';
import {
  acceptedOrder,
  keyed,
  orderRef,
  orderShape,
  type AcceptedOrder,
  type OrderRef,
} from './orders.js';
import {
  CappedList,
  DEFAULT_MAX_LISTED,
  readAll,
  type ListingOptions,
  type RecordSource,
} from './source.js';

/** Options of findDuplicateOrders. */
export interface DuplicateOptions extends ListingOptions {
  /** Judge only the orders sent with this API key; null judges every key, each on its own. */
  apiKey: string | null;
  /**
   * Look for blind resends by the order's terms. Default true. A system that
   * names every intent by its own client order id and reuses it on every
   * retry (the built-in engine, whose journal is judged exactly) places
   * same-terms orders from many strategies on purpose: for it only a reused
   * client order id is a duplicate.
   */
  blindResends?: boolean;
}

/** Two accepted orders where the bot meant one. */
export type DuplicateFinding =
  | {
      /** `duplicate` repeats `original`, whose answer was lost, before the bot asked the venue about the symbol. */
      kind: 'blind_resend';
      apiKey: string | null;
      symbol: string;
      side: string;
      type: string;
      quantity: string | null;
      price: string | null;
      original: OrderRef;
      /** How the answer to `original` was lost on the wire. */
      lostAnswer: LostAnswer;
      duplicate: OrderRef;
    }
  | {
      /** The venue accepted two orders with one client order id, whatever happened on the wire. */
      kind: 'client_order_id_reused';
      apiKey: string | null;
      clientOrderId: string;
      symbol: string;
      /** The first accepted order with that id. */
      original: OrderRef;
      duplicate: OrderRef;
    };

/** What findDuplicateOrders found. */
export interface DuplicateJudgment {
  /** Orders the venue accepted (for the key judged). */
  ordersAccepted: number;
  /** Accepted orders whose answer did not reach the bot unchanged. */
  lostAnswers: number;
  /** The first duplicates, in the order the venue answered the second order. */
  duplicates: DuplicateFinding[];
  duplicatesTotal: number;
}

/**
 * Finds the orders a bot placed twice. Each accepted order is listed at most
 * once, as a client order id reuse when it is one, else as a blind resend.
 * An order whose answer was lost stays unresolved until a query of its
 * symbol or its first resend: a lost answer is resent once, so later orders
 * of the same terms are the bot's own (one that alternates two orders would
 * otherwise see all its trading called duplicates). A resend whose own
 * answer was lost is an original in turn: its resend is a duplicate too.
 *
 * `venue` must be in the order the venue wrote it, as it answered (a query
 * can only know of the orders answered before it); `wire` in any order.
 */
export async function findDuplicateOrders(
  venue: RecordSource<VenueRequest>,
  wire: RecordSource<WireRequest>,
  options: DuplicateOptions,
): Promise<DuplicateJudgment> {
  const answers = await LostAnswers.read(wire, options.signal);
  const judge = new DuplicateJudge(
    answers,
    options.maxListed ?? DEFAULT_MAX_LISTED,
    options.blindResends ?? true,
  );
  for await (const record of readAll(venue, options.signal)) {
    const order = acceptedOrder(record, options.apiKey);
    if (order !== null) judge.order(record, order);
    else if (options.apiKey === null || record.apiKey === options.apiKey) judge.query(record);
  }
  return judge.result();
}

/** An accepted order whose answer was lost and whose symbol the bot has not asked about since. */
interface Unresolved {
  ref: OrderRef;
  shape: string;
  lostAnswer: LostAnswer;
}

class DuplicateJudge {
  private accepted = 0;
  private lost = 0;
  private readonly findings: CappedList<DuplicateFinding>;
  /** First accepted order by API key and client order id. */
  private readonly byClientId = new Map<string, OrderRef>();
  /** By API key, then symbol. */
  private readonly unresolved = new Map<string | null, Map<string, Unresolved[]>>();

  constructor(
    private readonly answers: LostAnswers,
    maxListed: number,
    private readonly blindResends: boolean,
  ) {
    this.findings = new CappedList(maxListed);
  }

  order(record: VenueRequest, order: AcceptedOrder): void {
    this.accepted += 1;
    const ref = orderRef(record, order);
    const lostAnswer = this.answers.lost(record);
    if (lostAnswer !== null) this.lost += 1;
    const reused = this.reusedClientId(record.apiKey, order, ref);
    if (!reused && this.blindResends) this.blindResend(record.apiKey, order, ref);
    if (lostAnswer !== null) {
      const bySymbol = this.unresolved.get(record.apiKey) ?? new Map<string, Unresolved[]>();
      this.unresolved.set(record.apiKey, bySymbol);
      const waiting = bySymbol.get(order.symbol) ?? [];
      bySymbol.set(order.symbol, waiting);
      waiting.push({ ref, shape: orderShape(order), lostAnswer });
    }
  }

  /** A successful order query whose answer reached the bot resolves the orders it asked about. */
  query(record: VenueRequest): void {
    if (record.method !== 'GET' || !ORDER_QUERY_PATHS.has(record.path)) return;
    // A refused query (rate limit, bad signature) tells the bot nothing about its orders.
    if (record.status !== 200 || this.answers.lost(record) !== null) return;
    const bySymbol = this.unresolved.get(record.apiKey);
    if (bySymbol === undefined) return;
    // Only openOrders may omit the symbol, and then it answers for all of them.
    const symbols = record.symbol === null ? [...bySymbol.keys()] : [record.symbol];
    for (const symbol of symbols) {
      // Only a query sent once the loss could be seen is the bot asking about it:
      // a routine poll already under way says nothing of what it does next.
      const waiting = bySymbol.get(symbol)?.filter((lost) => record.at < lost.lostAnswer.endedAt);
      if (waiting === undefined || waiting.length === 0) bySymbol.delete(symbol);
      else bySymbol.set(symbol, waiting);
    }
  }

  result(): DuplicateJudgment {
    return {
      ordersAccepted: this.accepted,
      lostAnswers: this.lost,
      duplicates: this.findings.items,
      duplicatesTotal: this.findings.total,
    };
  }

  private reusedClientId(apiKey: string | null, order: AcceptedOrder, ref: OrderRef): boolean {
    if (order.clientOrderId === null) return false;
    const key = keyed(apiKey, order.clientOrderId);
    const original = this.byClientId.get(key);
    if (original === undefined) {
      this.byClientId.set(key, ref);
      return false;
    }
    const { clientOrderId, symbol } = order;
    this.findings.add({
      kind: 'client_order_id_reused',
      apiKey,
      clientOrderId,
      symbol,
      original,
      duplicate: ref,
    });
    return true;
  }

  private blindResend(apiKey: string | null, order: AcceptedOrder, ref: OrderRef): boolean {
    const waiting = this.unresolved.get(apiKey)?.get(order.symbol);
    const shape = orderShape(order);
    // The earliest copy is the original: every later one repeats it. A copy can only
    // repeat an order whose failure the bot had seen: one sent while the first still
    // waited for its answer is another order of the same terms, not a resend.
    const index =
      waiting?.findIndex(
        (candidate) => candidate.shape === shape && ref.at >= candidate.lostAnswer.endedAt,
      ) ?? -1;
    if (index < 0) return false;
    // Resent once: the original is settled, later orders of its terms are new ones.
    const [original] = waiting!.splice(index, 1) as [Unresolved];
    const { symbol, side, type, quantity, price } = order;
    this.findings.add({
      kind: 'blind_resend',
      apiKey,
      symbol,
      side,
      type,
      quantity,
      price,
      original: original.ref,
      lostAnswer: original.lostAnswer,
      duplicate: ref,
    });
    return true;
  }
}
