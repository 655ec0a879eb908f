/**
 * Intents: a bot that says, before each order, what it means to place gives
 * the judge a ledger to hold the venue against. Every order the venue
 * accepted must be one the bot announced, and none announced may have been
 * accepted twice. Announced orders never placed are listed but pass: the
 * venue may have refused them, or the bot gave up, as it may.
 */
import { parseAmount } from '../common/index.js';
import type { VenueOrder, VenueRequest } from '../evidence/model.js';
import { parseIntentLine } from './intent-line.js';
import { acceptedOrder, orderRef, type OrderRef } from './orders.js';
import {
  CappedList,
  DEFAULT_MAX_LISTED,
  readAll,
  type ListingOptions,
  type RecordSource,
} from './source.js';

/** Options of judgeIntents. */
export interface IntentOptions extends ListingOptions {
  /** Judge only the orders sent with this API key; null: every accepted order is the bot's. */
  apiKey: string | null;
}

/** What an order or an intent says it is. */
export interface OrderTerms {
  symbol: string;
  side: string;
  type: string;
  quantity: string | number | null;
  price: string | number | null;
}

/** An accepted order no intent announced: a stray, or a copy under a fresh id. */
export interface UnknownOrder extends OrderRef, OrderTerms {
  apiKey: string | null;
}

/** An intent the venue accepted more than once; one per extra order. */
export interface IntentPlacedTwice {
  clientOrderId: string;
  /** The intent's line in the file, from 1. */
  line: number;
  first: OrderRef;
  again: OrderRef;
}

/** An intent the venue never accepted. */
export interface UnplacedIntent extends OrderTerms {
  clientOrderId: string;
  line: number;
}

/** An order placed under an intent's id whose terms are not the intent's. */
export interface IntentMismatch {
  clientOrderId: string;
  line: number;
  /** The fields that differ, as `field: intent → order`. */
  differences: string[];
  order: OrderRef;
}

/** A line of the intents file that is not an intent. */
export interface MalformedIntentLine {
  line: number;
  problem: string;
}

/** What judgeIntents found. Lists keep the first findings (file or venue order); totals count all. */
export interface IntentJudgment {
  /** No unknown order, no intent placed twice or with other terms, no malformed line. */
  ok: boolean;
  /** Distinct client order ids announced. */
  intents: number;
  ordersAccepted: number;
  unknownOrders: UnknownOrder[];
  unknownOrdersTotal: number;
  placedTwice: IntentPlacedTwice[];
  placedTwiceTotal: number;
  mismatched: IntentMismatch[];
  mismatchedTotal: number;
  unplaced: UnplacedIntent[];
  unplacedTotal: number;
  malformedLines: MalformedIntentLine[];
  malformedLinesTotal: number;
}

interface Announced {
  line: number;
  terms: OrderTerms;
  placed: OrderRef | null;
}

/**
 * Holds the venue's accepted orders against the bot's intents file (its raw
 * lines; blank ones are skipped). An intent announced again on a later line
 * (a retry under the same client order id, as a careful bot does) is one
 * intent, known by its first line.
 */
export async function judgeIntents(
  intents: RecordSource<string>,
  venue: RecordSource<VenueRequest>,
  options: IntentOptions,
): Promise<IntentJudgment> {
  const maxListed = options.maxListed ?? DEFAULT_MAX_LISTED;
  const malformed = new CappedList<MalformedIntentLine>(maxListed);
  const announced = await readIntents(intents, malformed, options.signal);

  const unknown = new CappedList<UnknownOrder>(maxListed);
  const twice = new CappedList<IntentPlacedTwice>(maxListed);
  const mismatched = new CappedList<IntentMismatch>(maxListed);
  let ordersAccepted = 0;
  for await (const record of readAll(venue, options.signal)) {
    const order = acceptedOrder(record, options.apiKey);
    if (order === null) continue;
    ordersAccepted += 1;
    const ref = orderRef(record, order);
    const { clientOrderId } = order;
    const intent = clientOrderId === null ? undefined : announced.get(clientOrderId);
    if (clientOrderId === null || intent === undefined) {
      const { symbol, side, type, quantity, price } = order;
      unknown.add({ ...ref, apiKey: record.apiKey, symbol, side, type, quantity, price });
    } else if (intent.placed === null) {
      intent.placed = ref;
      const differences = termsDiffer(intent.terms, order);
      if (differences.length > 0) {
        mismatched.add({ clientOrderId, line: intent.line, differences, order: ref });
      }
    } else {
      twice.add({ clientOrderId, line: intent.line, first: intent.placed, again: ref });
    }
  }

  const unplaced = new CappedList<UnplacedIntent>(maxListed);
  for (const [clientOrderId, intent] of announced) {
    if (intent.placed === null) unplaced.add({ clientOrderId, line: intent.line, ...intent.terms });
  }
  return {
    ok: unknown.total === 0 && twice.total === 0 && mismatched.total === 0 && malformed.total === 0,
    intents: announced.size,
    ordersAccepted,
    unknownOrders: unknown.items,
    unknownOrdersTotal: unknown.total,
    placedTwice: twice.items,
    placedTwiceTotal: twice.total,
    mismatched: mismatched.items,
    mismatchedTotal: mismatched.total,
    unplaced: unplaced.items,
    unplacedTotal: unplaced.total,
    malformedLines: malformed.items,
    malformedLinesTotal: malformed.total,
  };
}

async function readIntents(
  lines: RecordSource<string>,
  malformed: CappedList<MalformedIntentLine>,
  signal: AbortSignal | undefined,
): Promise<Map<string, Announced>> {
  const announced = new Map<string, Announced>();
  let line = 0;
  for await (const text of readAll(lines, signal)) {
    line += 1;
    if (text.trim() === '') continue;
    const parsed = parseIntentLine(text);
    if (!parsed.ok) {
      malformed.add({ line, problem: parsed.problem });
      continue;
    }
    const { client_order_id, symbol, side, type, quantity, price = null } = parsed.intent;
    if (announced.has(client_order_id)) continue;
    announced.set(client_order_id, {
      line,
      terms: { symbol, side, type, quantity, price },
      placed: null,
    });
  }
  return announced;
}

/**
 * How an order differs from the intent it was placed under: symbol (a `/`
 * ignored), side and type in any case, quantity and price by value. A field
 * either side leaves out (a market intent's price, a quote-quantity order's
 * quantity) is not compared.
 */
function termsDiffer(intent: OrderTerms, order: VenueOrder): string[] {
  const differences: string[] = [];
  const word = (text: string) => text.replaceAll('/', '').toUpperCase();
  const compare = (field: string, said: string, done: string, same: boolean) => {
    if (!same) differences.push(`${field}: ${said} → ${done}`);
  };
  compare('symbol', intent.symbol, order.symbol, word(intent.symbol) === word(order.symbol));
  compare('side', intent.side, order.side, word(intent.side) === word(order.side));
  compare('type', intent.type, order.type, word(intent.type) === word(order.type));
  for (const field of ['quantity', 'price'] as const) {
    const said = intent[field];
    const done = order[field];
    if (said === null || said === undefined || done === null) continue;
    compare(field, String(said), done, sameAmount(String(said), done));
  }
  return differences;
}

function sameAmount(a: string, b: string): boolean {
  const [x, y] = [parseAmount(a), parseAmount(b)];
  return x.ok && y.ok ? x.value === y.value : a === b;
}
