import type { EngineEvents, EngineOptions, EngineSummary } from '../engine/index.js';
import type { FailureType } from '../watchdog/index.js';

/** What the stack tells an engine child process. */
export type ParentMessage =
  | { type: 'start'; options: EngineOptions }
  | { type: 'stop' }
  /** The chaos runner announces (or, with no name, ends) an experiment to the watchdog. */
  | { type: 'scenario'; name: string | undefined; failureType: FailureType | undefined }
  | { type: 'close' };

/** What an engine child process tells the stack. */
export type ChildMessage =
  | { type: 'ready'; healthUrl: string; metricsUrl: string; chaosLogPath: string }
  | { type: 'event'; name: keyof EngineEvents; args: unknown[] }
  | { type: 'summary'; summary: EngineSummary }
  | { type: 'error'; message: string };
