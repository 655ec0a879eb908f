import { messageOf } from '../common/index.js';
import { readLines } from '../evidence/index.js';
import { judgeIntents, type IntentJudgment } from '../judge/index.js';
import type { World, WireOrderOutcome } from '../stack/index.js';
import type { IntentsSummary, OrderAccount, SystemOutcome } from './system.js';

/** What judging a bot's intents file needs. */
export interface IntentsFileJudging {
  /** The file has at least one line. */
  reported: boolean;
  /** The run demands the file (--target-intents). */
  required: boolean;
  intentsFile: string;
  world: World;
  apiKey: string;
  /** Venue orders from this time on are the bot's in this scenario, ms since the epoch. */
  since: number;
  /** The file's lines from this byte on are this scenario's (a bot on a shared world keeps one file). Default 0. */
  fromByte?: number;
}

/**
 * A bot's own account of its orders: its intents file against the venue's
 * accepted orders. Skipped when it reported none and none was required.
 */
export async function judgeIntentsFile(judging: IntentsFileJudging): Promise<OrderAccount> {
  if (!judging.reported && !judging.required) {
    const reason = 'the target reports no intents (N1V1_INTENTS_FILE stayed empty)';
    return { verdict: { status: 'skipped', reason } };
  }
  if (!judging.reported) {
    const detail = 'the target reported no intents, and --target-intents requires them';
    return { verdict: { status: 'judged', passed: false, detail } };
  }
  try {
    const evidence = await judging.world.evidence.snapshot(judging.since);
    const judged = await judgeIntents(
      () => readLines(judging.intentsFile, { keepBlank: true, start: judging.fromByte }),
      evidence.venue,
      { apiKey: judging.apiKey },
    );
    const { summary, detail } = summarizeIntents(judged);
    return { verdict: { status: 'judged', passed: judged.ok, detail }, intents: summary };
  } catch (error) {
    const detail = `the intents could not be judged: ${messageOf(error)}`;
    return { verdict: { status: 'judged', passed: false, detail } };
  }
}

/** An order request as the wire saw it end, as the runner counts it for a system that reports nothing. */
export function wireOutcome(outcome: WireOrderOutcome): SystemOutcome {
  return outcome.accepted ? { kind: 'order', latencyMs: outcome.latencyMs } : { kind: 'failure' };
}

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
    ...judged.mismatched.map(
      (wrong) =>
        `intent ${wrong.clientOrderId} (line ${wrong.line}) placed as order ${wrong.order.orderId} with other terms: ${wrong.differences.join(', ')}`,
    ),
    ...judged.malformedLines.map((bad) => `intents line ${bad.line}: ${bad.problem}`),
  ].slice(0, EXAMPLES);
  const summary: IntentsSummary = {
    intents: judged.intents,
    ordersAccepted: judged.ordersAccepted,
    unknownOrders: judged.unknownOrdersTotal,
    placedTwice: judged.placedTwiceTotal,
    mismatched: judged.mismatchedTotal,
    unplaced: judged.unplacedTotal,
    malformedLines: judged.malformedLinesTotal,
    examples,
  };
  const detail =
    `${judged.intents} intent(s), ${judged.ordersAccepted} venue order(s): ` +
    `${judged.unknownOrdersTotal} without an intent, ${judged.placedTwiceTotal} intent(s) placed twice, ` +
    `${judged.mismatchedTotal} placed with other terms, ` +
    `${judged.malformedLinesTotal} malformed line(s); ${judged.unplacedTotal} intent(s) never placed`;
  return { summary, detail };
}
