import type { Agent } from 'node:http';
import type { ProxyRuntime } from '../runtime.js';
import type { ClientConnection, OutcomeSink } from './outcome.js';

/** What serving a request needs from the front end that owns the connections. */
export interface FrontendContext {
  readonly runtime: ProxyRuntime;
  /** Where request outcomes are counted and recorded. */
  readonly sink: OutcomeSink;
  /** Names the next request read: `<proxy>-<n>`, n from 1 for the proxy's lifetime. */
  nextRequestId(): string;
  /** Source of randomness for toxicity rolls and jitter. */
  readonly random: () => number;
  /** The current keep-alive agent to the upstream (replaced when the front end closes). */
  agent(): Agent;
  /** True while close() runs: answers then carry `Connection: close`. */
  closing(): boolean;
  /** A response finished on this connection (an idle one may now be closed). */
  responseDone(connection: ClientConnection): void;
  /** Resets the client connection with a TCP RST. */
  reset(connection: ClientConnection): void;
  /** A hold's closeAfterMs ran out: close the client connection with a FIN. */
  closeHeld(connection: ClientConnection): void;
}
