import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  createEngine,
  type Engine,
  type EngineEvents,
  type EngineOptions,
  type EngineSummary,
  type OrderIntent,
} from '../engine/index.js';
import type { FailureType } from '../watchdog/index.js';
import {
  FORWARDED_EVENTS,
  type ChildMessage,
  type ParentMessage,
  type StrategyIdentity,
} from './engine-messages.js';
import { ENGINE_GONE, identities, receiptOf, type OrderReceipt } from './receipt.js';
import { TurnBatch } from './turn-batch.js';

export type EngineProcess = 'in-process' | 'child';

/** An engine the stack runs, in this process or in a child, behind one interface. */
export interface EngineHandle {
  healthUrl: string;
  metricsUrl: string;
  /** The engine's events (from a child, forwarded over IPC once something here listens: heartbeats, breakers, spool, reconciles, outcomes). */
  events: EventEmitter<EngineEvents>;
  /** The engine object, when it runs in this process. */
  engine: Engine | undefined;
  /** The child's pid, when it runs in a child process. */
  pid: number | undefined;
  /** False once a child engine has exited (crashed, or closed); an in-process engine runs until closed. */
  readonly running: boolean;
  /** The engine's strategies (running their own loops only when the engine trades automatically). */
  strategies: readonly StrategyIdentity[];
  /**
   * Places one intent through the engine's risk gate and executor, as a
   * strategy of its own would; resolves with what became of it, never rejects.
   * A child engine that exits first leaves the intent `unknown`.
   */
  place(intent: OrderIntent): Promise<OrderReceipt>;
  stop(): Promise<EngineSummary>;
  /** Tells the watchdog an experiment injecting this failure type runs now; no name ends it. */
  announceScenario(name: string | undefined, failureType?: FailureType): void;
  /** The engine's CHAOS_EVENT log. */
  chaosLogPath: string | undefined;
  /** Kills a child engine with SIGKILL: a crash, no clean-up of any kind. */
  kill(): Promise<void>;
  close(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;

export async function startEngine(
  where: EngineProcess,
  options: EngineOptions,
): Promise<EngineHandle> {
  return where === 'child' ? startChildEngine(options) : startInProcessEngine(options);
}

async function startInProcessEngine(options: EngineOptions): Promise<EngineHandle> {
  const engine = await createEngine(options);
  let closed: Promise<void> | undefined;
  return {
    healthUrl: engine.healthUrl,
    metricsUrl: engine.metricsUrl,
    events: engine.events,
    engine,
    pid: undefined,
    get running() {
      return closed === undefined;
    },
    strategies: identities(engine),
    place: async (intent) => receiptOf(await engine.executor.place(intent)),
    stop: () => engine.stop(),
    announceScenario: (name, failureType) =>
      name === undefined
        ? engine.watchdog.clearScenario()
        : engine.watchdog.announceScenario(name, failureType),
    chaosLogPath: engine.chaosLogPath,
    kill: () =>
      Promise.reject(new Error('an in-process engine cannot be killed; use engineProcess: child')),
    close: () => (closed ??= engine.close()),
  };
}

async function startChildEngine(options: EngineOptions): Promise<EngineHandle> {
  const child = forkEngineChild();
  const events = new EventEmitter<EngineEvents>();
  // The child sends an event only once something here listens to it.
  const asked = new Set<string | symbol>();
  (events as EventEmitter).on('newListener', (name: string | symbol) => {
    if (asked.has(name) || !(FORWARDED_EVENTS as readonly (string | symbol)[]).includes(name))
      return;
    asked.add(name);
    send(child, { type: 'listen', name: name as keyof EngineEvents });
  });
  const summaries = new EventEmitter<{ summary: [EngineSummary]; failed: [Error] }>();
  child.on('message', (message: ChildMessage) => {
    if (message.type === 'event')
      (events.emit as (name: string, ...args: unknown[]) => boolean)(message.name, ...message.args);
    if (message.type === 'summary') summaries.emit('summary', message.summary);
    if (message.type === 'error') summaries.emit('failed', new Error(message.message));
  });
  const exited = once(child, 'exit');
  const placer = new ChildPlacer(child);
  void exited.then(() => placer.abandonAll());
  send(child, { type: 'start', options });
  const ready = await waitFor(
    child,
    (m): m is Extract<ChildMessage, { type: 'ready' }> => m.type === 'ready',
  );
  let closed: Promise<void> | undefined;
  return {
    healthUrl: ready.healthUrl,
    metricsUrl: ready.metricsUrl,
    events,
    engine: undefined,
    pid: child.pid,
    get running() {
      return child.exitCode === null && child.signalCode === null;
    },
    strategies: ready.strategies,
    chaosLogPath: ready.chaosLogPath,
    announceScenario: (name, failureType) => send(child, { type: 'scenario', name, failureType }),
    place: (intent) => placer.place(intent),
    stop: async () => {
      const answer = Promise.race([
        once(summaries, 'summary').then(([summary]) => summary as EngineSummary),
        once(summaries, 'failed').then(([error]) => Promise.reject(error as Error)),
        exited.then(() =>
          Promise.reject(new Error('the engine process exited before its summary')),
        ),
      ]);
      send(child, { type: 'stop' });
      return answer;
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    close: () =>
      (closed ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        send(child, { type: 'close' });
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      })()),
  };
}

/** Intents to a child engine, one IPC message per event-loop turn, and their receipts back. */
class ChildPlacer {
  private nextId = 0;
  private readonly outbox: TurnBatch<{ id: number; intent: OrderIntent }>;
  private readonly waiting = new Map<number, (receipt: OrderReceipt) => void>();
  private gone = false;

  constructor(child: ChildProcess) {
    this.outbox = new TurnBatch((intents) => send(child, { type: 'place', intents }));
    child.on('message', (message: ChildMessage) => {
      if (message.type !== 'receipts') return;
      for (const { id, receipt } of message.receipts) {
        this.waiting.get(id)?.(receipt);
        this.waiting.delete(id);
      }
    });
  }

  place(intent: OrderIntent): Promise<OrderReceipt> {
    if (this.gone) return Promise.resolve(ENGINE_GONE);
    const id = this.nextId++;
    this.outbox.add({ id, intent });
    return new Promise((resolve) => this.waiting.set(id, resolve));
  }

  /** The child exited: whatever it had not answered may or may not have reached the venue. */
  abandonAll(): void {
    this.gone = true;
    for (const resolve of this.waiting.values()) resolve(ENGINE_GONE);
    this.waiting.clear();
  }
}

/** The compiled child next to this file, or (under a TypeScript test runner) its source through tsx. */
function forkEngineChild(): ChildProcess {
  const compiled = fileURLToPath(new URL('./engine-child.js', import.meta.url));
  if (existsSync(compiled))
    return fork(compiled, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const source = fileURLToPath(new URL('./engine-child.ts', import.meta.url));
  return fork(source, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

function send(child: ChildProcess, message: ParentMessage): void {
  if (child.connected) child.send(message);
}

async function waitFor<T extends ChildMessage>(
  child: ChildProcess,
  wanted: (message: ChildMessage) => message is T,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error('the engine process did not start in time')),
      START_TIMEOUT_MS,
    );
    const onMessage = (message: ChildMessage) => {
      if (wanted(message)) finish(() => resolve(message));
      else if (message.type === 'error')
        fail(new Error(`the engine process failed to start: ${message.message}`));
    };
    const onExit = (code: number | null) =>
      fail(new Error(`the engine process exited (code ${code}) before it was ready`));
    const finish = (then: () => void) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      then();
    };
    const fail = (error: Error) => {
      finish(() => reject(error));
      child.kill('SIGKILL');
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}
