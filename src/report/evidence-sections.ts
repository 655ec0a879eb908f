import { z } from 'zod';
import type { ScenarioResult } from '../chaos/index.js';
import type { DuplicateFinding, LostAnswer, OrderRef } from '../judge/index.js';
import { count } from './sections.js';

/**
 * The report sections of the system under test and of the world's evidence
 * (duplicates, Retry-After, resting orders, reported intents), in JSON
 * (snake_case) and as schemas. Each is null when the run never judged it.
 * Lists hold the first findings; totals count them all.
 */

const time = z.iso.datetime();
const iso = (ms: number): string => new Date(ms).toISOString();

export const systemUnderTestSchema = z.object({
  kind: z.enum(['builtin', 'external']),
  command: z.string().nullable(),
  exit_code: z.int().nullable(),
  signal: z.string().nullable(),
  survived: z.boolean(),
  run_by_this_tool: z.boolean(),
  detail: z.string(),
  last_output: z.array(z.string()),
  log_file: z.string().nullable(),
  left_processes_behind: z.boolean(),
});

const orderRef = z.object({
  order_id: z.int(),
  client_order_id: z.string().nullable(),
  time,
  request_id: z.string().nullable(),
});

export const duplicatesSchema = z.object({
  orders_accepted: count,
  lost_answers: count,
  total: count,
  listed: z.array(
    z.object({
      kind: z.enum(['blind_resend', 'client_order_id_reused']),
      symbol: z.string(),
      /** Side, type, quantity and price of a blind resend; null for a reused id. */
      terms: z.string().nullable(),
      original: orderRef,
      duplicate: orderRef,
      lost_answer: z
        .object({ end: z.string(), status: z.int().nullable(), time, ended_time: time })
        .nullable(),
    }),
  ),
});

export const retryAfterSchema = z.object({
  windows: count,
  bans: count,
  violations_total: count,
  violations: z.array(
    z.object({
      time,
      method: z.string(),
      path: z.string(),
      inside_ms: z.number(),
      window: z.object({
        request_id: z.string(),
        status: z.int(),
        retry_after_seconds: z.number(),
        opened_time: time,
      }),
    }),
  ),
});

export const orphanOrdersSchema = z.object({
  total: count,
  orders: z.array(
    z.object({
      symbol: z.string(),
      order_id: z.int(),
      client_order_id: z.string(),
      side: z.string(),
      price: z.string(),
      remaining_qty: z.string(),
      time,
    }),
  ),
});

export const intentsSchema = z.object({
  intents: count,
  orders_accepted: count,
  unknown_orders: count,
  placed_twice: count,
  // Older reports did not compare an order's terms with its intent's.
  mismatched: count.default(0),
  unplaced: count,
  malformed_lines: count,
  examples: z.array(z.string()),
});

export type EvidenceSections = {
  system_under_test: z.infer<typeof systemUnderTestSchema> | null;
  duplicates: z.infer<typeof duplicatesSchema> | null;
  retry_after: z.infer<typeof retryAfterSchema> | null;
  orphan_orders: z.infer<typeof orphanOrdersSchema> | null;
  intents: z.infer<typeof intentsSchema> | null;
};

/** Older reports, written before these sections existed, read as not judged. */
export const evidenceSectionsSchema = {
  system_under_test: systemUnderTestSchema.nullable().default(null),
  duplicates: duplicatesSchema.nullable().default(null),
  retry_after: retryAfterSchema.nullable().default(null),
  orphan_orders: orphanOrdersSchema.nullable().default(null),
  intents: intentsSchema.nullable().default(null),
};

export function evidenceSections(result: ScenarioResult): EvidenceSections {
  const { system, verdicts, account } = result;
  const intents = account?.intents;
  return {
    system_under_test: system
      ? {
          kind: system.kind,
          command: system.command,
          exit_code: system.exitCode,
          signal: system.signal,
          survived: system.survived,
          run_by_this_tool: system.runByThisTool,
          detail: system.detail,
          last_output: [...system.lastOutput],
          log_file: system.logFile,
          left_processes_behind: system.leftProcessesBehind,
        }
      : null,
    duplicates: verdicts
      ? {
          orders_accepted: verdicts.duplicates.ordersAccepted,
          lost_answers: verdicts.duplicates.lostAnswers,
          total: verdicts.duplicates.duplicatesTotal,
          listed: verdicts.duplicates.duplicates.map(duplicateJson),
        }
      : null,
    retry_after: verdicts
      ? {
          windows: verdicts.retryAfter.windows,
          bans: verdicts.retryAfter.bans,
          violations_total: verdicts.retryAfter.violationsTotal,
          violations: verdicts.retryAfter.violations.map((violation) => ({
            time: iso(violation.at),
            method: violation.method,
            path: violation.path,
            inside_ms: violation.insideMs,
            window: {
              request_id: violation.window.requestId,
              status: violation.window.status,
              retry_after_seconds: violation.window.retryAfterS,
              opened_time: iso(violation.window.endedAt),
            },
          })),
        }
      : null,
    orphan_orders: verdicts
      ? {
          total: verdicts.orphans.total,
          orders: verdicts.orphans.orders.map((order) => ({
            symbol: order.symbol,
            order_id: order.orderId,
            client_order_id: order.clientOrderId,
            side: order.side,
            price: order.price,
            remaining_qty: order.remainingQty,
            time: iso(order.at),
          })),
        }
      : null,
    intents: intents
      ? {
          intents: intents.intents,
          orders_accepted: intents.ordersAccepted,
          unknown_orders: intents.unknownOrders,
          placed_twice: intents.placedTwice,
          mismatched: intents.mismatched,
          unplaced: intents.unplaced,
          malformed_lines: intents.malformedLines,
          examples: [...intents.examples],
        }
      : null,
  };
}

function duplicateJson(finding: DuplicateFinding) {
  const blind = finding.kind === 'blind_resend';
  return {
    kind: finding.kind,
    symbol: finding.symbol,
    terms: blind
      ? `${finding.side} ${finding.type} ${finding.quantity ?? '–'} @ ${finding.price ?? 'market'}`
      : null,
    original: refJson(finding.original),
    duplicate: refJson(finding.duplicate),
    lost_answer: blind ? lostJson(finding.lostAnswer) : null,
  };
}

function refJson(ref: OrderRef) {
  return {
    order_id: ref.orderId,
    client_order_id: ref.clientOrderId,
    time: iso(ref.at),
    request_id: ref.requestId,
  };
}

function lostJson(lost: LostAnswer) {
  return { end: lost.end, status: lost.status, time: iso(lost.at), ended_time: iso(lost.endedAt) };
}
