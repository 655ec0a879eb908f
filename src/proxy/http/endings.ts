import type { IncomingMessage, ServerResponse } from 'node:http';
import { after } from '../toxics/after.js';
import { respondInjected } from './answer.js';
import type { FrontendContext } from './context.js';
import type { ClientConnection, RequestOutcome } from './outcome.js';
import type { PlannedAction } from './plan.js';

/** Answers, holds or resets a request the upstream never sees. */
export function endUnforwarded(
  context: FrontendContext,
  connection: ClientConnection,
  res: ServerResponse,
  outcome: RequestOutcome,
  { toxic, action }: PlannedAction,
): void {
  if (action.kind === 'respond') respondInjected(context, res, outcome, action);
  else if (action.kind === 'hold') hold(context, connection, outcome, toxic, action.closeAfterMs);
  else if (action.kind === 'reset') resetAfter(context, connection, outcome, action.afterMs);
}

/** Holds, resets or drops a request the upstream has answered; its answer is discarded. */
export function endForwarded(
  context: FrontendContext,
  connection: ClientConnection,
  outcome: RequestOutcome,
  response: IncomingMessage,
  { toxic, action }: PlannedAction,
): void {
  response.resume();
  if (action.kind === 'hold') hold(context, connection, outcome, toxic, action.closeAfterMs);
  else if (action.kind === 'reset') resetAfter(context, connection, outcome, action.afterMs);
  else if (action.kind === 'drop_response') {
    // Only once the upstream's whole answer is in: the request has surely executed.
    response.once('close', () => {
      if (!response.complete) outcome.settle('upstreamError');
      outcome.settle('reset');
      context.reset(connection);
    });
  }
}

/**
 * Leaves the request unanswered. With closeAfterMs 0 it stays open until the
 * client gives up or the toxic goes, and the connection's close handler
 * counts it timed out.
 */
function hold(
  context: FrontendContext,
  connection: ClientConnection,
  outcome: RequestOutcome,
  toxic: string,
  closeAfterMs: number,
): void {
  connection.held = true;
  connection.heldBy = toxic;
  if (closeAfterMs <= 0) return;
  after(closeAfterMs, outcome.signal, () => {
    outcome.settle('timedOut');
    context.closeHeld(connection);
  });
}

function resetAfter(
  context: FrontendContext,
  connection: ClientConnection,
  outcome: RequestOutcome,
  afterMs: number,
): void {
  after(afterMs, outcome.signal, () => {
    outcome.settle('reset');
    context.reset(connection);
  });
}
