import type { IncomingMessage, ServerResponse } from 'node:http';
import { sleep } from '../../common/index.js';
import { badGateway, deliver } from './answer.js';
import type { FrontendContext } from './context.js';
import { endForwarded, endUnforwarded } from './endings.js';
import { forwardRequest } from './forward.js';
import { RequestOutcome, type ClientConnection } from './outcome.js';
import { forwardsFirst, planRequest, type PlannedAction } from './plan.js';

/**
 * Serves one request read from a client: evaluate the toxics, run delays,
 * then either end it without the upstream (injected status, hold, reset) or
 * forward it and deliver, hold, reset or drop the answer. Every path settles
 * the request's outcome once; a client that goes away settles it from the
 * connection's close handler, which aborts the signal, and the code here
 * stops at its next step.
 */
export async function serveRequest(
  context: FrontendContext,
  connection: ClientConnection,
  client: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const method = client.method ?? 'GET';
  const path = pathOf(client.url ?? '/');
  const outcome = track(context, connection, client, res, method, path);
  const { signal } = outcome;
  const plan = planRequest(context.runtime, method, path, context.random);
  const delayed = plan.delays.length > 0;
  if (!forwardsFirst(plan.final)) {
    if (delayed) await delay(plan.delays, signal);
    if (!signal.aborted) endUnforwarded(context, connection, res, outcome, plan.final!);
    return;
  }
  // Most requests meet no toxic: skip the delay steps and their microtask turns.
  if (delayed) await delay(onStream(plan.delays, 'upstream'), signal);
  if (signal.aborted) return;
  const { runtime } = context;
  const result = await forwardRequest(client, {
    agent: context.agent(),
    target: runtime.upstream(),
    stats: runtime.stats,
    tracked: outcome,
  });
  if (!result.ok) {
    badGateway(context, res, outcome, result.reason);
    return;
  }
  const { response } = result;
  response.on('error', () => undefined); // reported through 'close' with complete === false
  if (delayed) await delay(onStream(plan.delays, 'downstream'), signal);
  if (signal.aborted) {
    response.resume(); // the client is gone: drain so the upstream socket can be reused
    return;
  }
  // The upstream broke off while the answer waited in a delay: its close has already passed.
  if (response.destroyed && !response.complete) {
    badGateway(context, res, outcome, 'upstreamError');
    return;
  }
  if (plan.final) endForwarded(context, connection, outcome, response, plan.final);
  else deliver(context, res, outcome, response);
}

/** Creates the request's outcome, with its id, and ties it to its connection. */
function track(
  context: FrontendContext,
  connection: ClientConnection,
  client: IncomingMessage,
  res: ServerResponse,
  method: string,
  path: string,
): RequestOutcome {
  const outcome = new RequestOutcome(context.sink, context.nextRequestId(), method, path);
  connection.open.add(outcome);
  outcome.signal.addEventListener('abort', () => connection.open.delete(outcome), { once: true });
  connection.pendingResponses += 1;
  res.once('finish', () => {
    connection.pendingResponses -= 1;
    context.responseDone(connection);
  });
  client.on('error', () => undefined); // a client abort is handled by the connection's close
  return outcome;
}

function onStream(delays: readonly PlannedAction[], stream: PlannedAction['stream']) {
  return delays.filter((planned) => planned.stream === stream);
}

async function delay(delays: readonly PlannedAction[], signal: AbortSignal): Promise<void> {
  for (const { action } of delays) {
    if (action.kind === 'delay') await sleep(action.ms, signal);
  }
}

/** The path without the query, also for absolute-form request targets. */
function pathOf(url: string): string {
  const path = url.replace(/^https?:\/\/[^/?#]*/i, '');
  const end = path.search(/[?#]/);
  return (end < 0 ? path : path.slice(0, end)) || '/';
}
