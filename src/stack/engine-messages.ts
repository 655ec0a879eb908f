import type { EngineEvents, EngineOptions, EngineSummary, OrderIntent } from '../engine/index.js';
import type { FailureType } from '../watchdog/index.js';
import type { OrderReceipt } from './receipt.js';

/** A strategy as seen from outside the engine: who it is and what it trades. */
export interface StrategyIdentity {
  id: string;
  symbols: readonly string[];
}

/** The engine events a child forwards, each once the parent listens to it. */
export const FORWARDED_EVENTS: ReadonlyArray<keyof EngineEvents> = [
  'heartbeat',
  'breaker',
  'rateLimited',
  'spool',
  'reconciled',
  'outcome',
];

/** What the stack tells an engine child process. */
export type ParentMessage =
  | { type: 'start'; options: EngineOptions }
  | { type: 'stop' }
  /** The chaos runner announces (or, with no name, ends) an experiment to the watchdog. */
  | { type: 'scenario'; name: string | undefined; failureType: FailureType | undefined }
  /** Someone in the parent listens to this event: forward it from now on. */
  | { type: 'listen'; name: keyof EngineEvents }
  /** Intents to place, numbered by the parent; batched per event-loop turn to spare the channel. */
  | { type: 'place'; intents: Array<{ id: number; intent: OrderIntent }> }
  | { type: 'close' };

/** What an engine child process tells the stack. */
export type ChildMessage =
  | {
      type: 'ready';
      healthUrl: string;
      metricsUrl: string;
      chaosLogPath: string;
      strategies: StrategyIdentity[];
    }
  | { type: 'event'; name: keyof EngineEvents; args: unknown[] }
  | { type: 'summary'; summary: EngineSummary }
  /** Receipts of placed intents, by the parent's numbers, batched like the intents. */
  | { type: 'receipts'; receipts: Array<{ id: number; receipt: OrderReceipt }> }
  | { type: 'error'; message: string };
