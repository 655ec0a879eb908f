import type { EngineEvents, EngineOptions, EngineSummary } from '../engine/index.js';

/** What the stack tells an engine child process. */
export type ParentMessage =
  { type: 'start'; options: EngineOptions } | { type: 'stop' } | { type: 'close' };

/** What an engine child process tells the stack. */
export type ChildMessage =
  | { type: 'ready'; healthUrl: string; metricsUrl: string }
  | { type: 'event'; name: keyof EngineEvents; args: unknown[] }
  | { type: 'summary'; summary: EngineSummary }
  | { type: 'error'; message: string };
