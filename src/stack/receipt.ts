import type { Engine, OutcomeKind, PlaceOutcome } from '../engine/index.js';
import type { StrategyIdentity } from './engine-messages.js';

/**
 * What became of one intent, in the few fields a load runner needs. It
 * crosses the IPC channel once per order, so it carries no order record.
 */
export interface OrderReceipt {
  kind: OutcomeKind;
  /** When the engine read the venue's acknowledgement, ms since the epoch; placed orders only. */
  ackAt: number | null;
  /** Why it was not placed: the risk refusal, or the journal's reason (venue code or failure class). */
  detail: string | null;
}

export function receiptOf(outcome: PlaceOutcome): OrderReceipt {
  switch (outcome.kind) {
    case 'placed':
      return { kind: 'placed', ackAt: outcome.ackAt, detail: null };
    case 'refused':
      return { kind: 'refused', ackAt: null, detail: outcome.reason };
    case 'shed':
      return { kind: 'shed', ackAt: null, detail: null };
    default:
      return { kind: outcome.kind, ackAt: null, detail: outcome.order.reason };
  }
}

/** The receipt of an intent whose engine went away before answering: its fate is unknown. */
export const ENGINE_GONE: OrderReceipt = Object.freeze({
  kind: 'unknown',
  ackAt: null,
  detail: 'engine_exited',
});

export function identities(engine: Engine): StrategyIdentity[] {
  return engine.strategies.map(({ id, symbols }) => ({ id, symbols }));
}
