import type { IntentJudgment } from '../judge/index.js';
import type { IntentsSummary } from './system.js';

/** Examples a report lists: enough to find the pattern, few enough to read. */
const EXAMPLES = 10;

/** The intents judgment as the report shows it: counts, a one-line verdict, and the first findings. */
export function summarizeIntents(judged: IntentJudgment): {
  summary: IntentsSummary;
  detail: string;
} {
  const examples = [
    ...judged.unknownOrders.map(
      (order) =>
        `unknown order ${order.orderId} (client id ${order.clientOrderId ?? 'none'}): ${order.side} ${order.quantity ?? '?'} ${order.symbol}, no intent announced it`,
    ),
    ...judged.placedTwice.map(
      (twice) =>
        `intent ${twice.clientOrderId} (line ${twice.line}) placed twice: orders ${twice.first.orderId} and ${twice.again.orderId}`,
    ),
    ...judged.malformedLines.map((bad) => `intents line ${bad.line}: ${bad.problem}`),
  ].slice(0, EXAMPLES);
  const summary: IntentsSummary = {
    intents: judged.intents,
    ordersAccepted: judged.ordersAccepted,
    unknownOrders: judged.unknownOrdersTotal,
    placedTwice: judged.placedTwiceTotal,
    unplaced: judged.unplacedTotal,
    malformedLines: judged.malformedLinesTotal,
    examples,
  };
  const detail =
    `${judged.intents} intent(s), ${judged.ordersAccepted} venue order(s): ` +
    `${judged.unknownOrdersTotal} without an intent, ${judged.placedTwiceTotal} intent(s) placed twice, ` +
    `${judged.malformedLinesTotal} malformed line(s); ${judged.unplacedTotal} intent(s) never placed`;
  return { summary, detail };
}
