import { matchesRequest } from '../match.js';
import type { Stream } from '../model.js';
import type { ProxyRuntime } from '../runtime.js';
import type { HttpAction } from '../toxics/toxic.js';

/** One toxic that applied to a request, with what it does. */
export interface PlannedAction {
  toxic: string;
  stream: Stream;
  action: HttpAction;
}

/** What the toxics do to one request: delays in order, then at most one action that ends it. */
export interface RequestPlan {
  delays: PlannedAction[];
  final?: PlannedAction;
}

const ENDING: ReadonlySet<HttpAction['kind']> = new Set([
  'respond',
  'hold',
  'reset',
  'drop_response',
]);

/**
 * Evaluates the proxy's current toxics for one request, upstream stream
 * first, each in the order added. The list is read afresh per request so a
 * toxic added or removed applies to open keep-alive connections at once.
 * Evaluation stops at the first toxic that ends the request (answers,
 * holds, resets or drops it): later toxics could not act, so they are not
 * counted as evaluated. Toxics without http behaviour are skipped.
 */
export function planRequest(
  runtime: ProxyRuntime,
  method: string,
  path: string,
  random: () => number,
): RequestPlan {
  const plan: RequestPlan = { delays: [] };
  for (const stream of ['upstream', 'downstream'] as const) {
    for (const toxic of runtime.toxics(stream)) {
      if (!toxic.definition.http || !matchesRequest(toxic.match, method, path)) continue;
      const applied = toxic.draw();
      runtime.countToxic(toxic.name, applied);
      if (!applied) continue;
      const action = toxic.definition.http(toxic.attributes, random);
      const planned = { toxic: toxic.name, stream, action };
      if (action.kind === 'delay') plan.delays.push(planned);
      if (!ENDING.has(action.kind)) continue;
      plan.final = planned;
      return plan;
    }
  }
  return plan;
}

/**
 * True when the request goes to the upstream before the final action acts:
 * a dropped response always, a hold or reset on the downstream stream (the
 * upstream executes the request, the client never learns).
 */
export function forwardsFirst(final: PlannedAction | undefined): boolean {
  if (!final) return true;
  const { kind } = final.action;
  if (kind === 'drop_response') return true;
  return final.stream === 'downstream' && (kind === 'hold' || kind === 'reset');
}
