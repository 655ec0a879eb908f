import { z } from 'zod';
import type { InvariantReport } from '../stack/index.js';

/** Sections chaos and load reports share, in JSON (snake_case) and as schemas. */

export const count = z.int().nonnegative();
export const seconds = z.number().nonnegative();

export const latencySchema = z.object({
  count,
  p50: seconds,
  p90: seconds,
  p95: seconds,
  p99: seconds,
  p999: seconds,
  max: seconds,
});

export const invariantsSchema = z.object({
  lost: count,
  duplicated: count,
  unresolved: count,
  mismatched: count,
  exchange_orders: count,
  journal_orders: count,
  ok: z.boolean(),
  examples: z.array(
    z.object({
      kind: z.enum(['lost', 'duplicated', 'unresolved', 'mismatched']),
      client_order_id: z.string(),
      detail: z.string(),
    }),
  ),
});

export function invariantsSection(invariants: InvariantReport): z.infer<typeof invariantsSchema> {
  return {
    lost: invariants.lost,
    duplicated: invariants.duplicated,
    unresolved: invariants.unresolved,
    mismatched: invariants.mismatched,
    exchange_orders: invariants.exchangeOrders,
    journal_orders: invariants.journalOrders,
    ok: invariants.ok,
    examples: invariants.examples.map(({ kind, clientOrderId, detail }) => ({
      kind,
      client_order_id: clientOrderId,
      detail,
    })),
  };
}
