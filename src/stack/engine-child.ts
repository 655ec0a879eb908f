import { messageOf } from '../common/index.js';
import {
  createEngine,
  type Engine,
  type EngineEvents,
  type EngineOptions,
} from '../engine/index.js';
import { FORWARDED_EVENTS, type ChildMessage, type ParentMessage } from './engine-messages.js';
import { identities, receiptOf, type OrderReceipt } from './receipt.js';
import { TurnBatch } from './turn-batch.js';

/**
 * The engine as a process of its own, driven over IPC by the stack. It exits
 * when its parent goes away (the IPC channel closes), so it never outlives
 * the runner, and a SIGKILL of it is a real crash.
 */

/** Events the parent listens to: only these cross the channel (an outcome per order is not free). */
const listened = new Set<keyof EngineEvents>();

let engine: Engine | undefined;

function send(message: ChildMessage): void {
  if (process.connected) process.send?.(message);
}

/** Receipts settled in one event-loop turn go back in one message. */
const receipts = new TurnBatch<{ id: number; receipt: OrderReceipt }>((batch) =>
  send({ type: 'receipts', receipts: batch }),
);

async function start(options: EngineOptions): Promise<void> {
  engine = await createEngine(options);
  for (const name of FORWARDED_EVENTS) {
    engine.events.on(name, (...args: unknown[]) => {
      if (listened.has(name)) send({ type: 'event', name, args });
    });
  }
  send({
    type: 'ready',
    healthUrl: engine.healthUrl,
    metricsUrl: engine.metricsUrl,
    chaosLogPath: engine.chaosLogPath,
    strategies: identities(engine),
  });
}

async function shutdown(code: number): Promise<never> {
  await engine?.close().catch(() => undefined);
  process.exit(code);
}

process.on('message', (message: ParentMessage) => {
  if (message.type === 'start') {
    start(message.options).catch((error: unknown) => {
      send({ type: 'error', message: messageOf(error) });
      void shutdown(1);
    });
  } else if (message.type === 'stop') {
    engine
      ?.stop()
      .then((summary) => send({ type: 'summary', summary }))
      .catch((error: unknown) => send({ type: 'error', message: String(error) }));
  } else if (message.type === 'scenario') {
    if (message.name === undefined) engine?.watchdog.clearScenario();
    else engine?.watchdog.announceScenario(message.name, message.failureType);
  } else if (message.type === 'listen') {
    listened.add(message.name);
  } else if (message.type === 'place') {
    for (const { id, intent } of message.intents) {
      if (engine === undefined)
        receipts.add({ id, receipt: { kind: 'shed', ackAt: null, detail: 'not_started' } });
      else
        void engine.executor
          .place(intent)
          .then((outcome) => receipts.add({ id, receipt: receiptOf(outcome) }));
    }
  } else if (message.type === 'close') {
    void shutdown(0);
  }
});
process.on('disconnect', () => void shutdown(0));
// A terminal's Ctrl-C reaches the whole process group; the parent decides when the
// engine stops (over IPC, to get its summary), so the child must not die of it.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => undefined);
