import type { ProxyMode } from '../model.js';

/**
 * What every toxic is: a type name, the modes it works in, an attribute
 * parser that fills defaults and refuses bad input, and the behaviour for
 * each mode. One toxic per file in this folder, listed in registry.ts.
 */
export interface ToxicDefinition<Attributes = Record<string, unknown>> {
  type: string;
  /** One line for the docs and `n1v1 proxy --help`. */
  description: string;
  modes: readonly ProxyMode[];
  /** Defaults merged under the attributes a client sends. */
  defaults: Attributes;
  /** Validates merged attributes; throws ToxicAttributeError with a clear message. */
  parse(attributes: Record<string, unknown>): Attributes;
  /** Byte-stream behaviour, for tcp mode. */
  tcp?: (attributes: Attributes, link: TcpLinkControl) => TcpStage;
  /**
   * Its tcp stage acts on each chunk on its own, with no timer or state across
   * chunks, so it can be drawn per chunk (`scope: "chunk"`). Default false.
   */
  perChunk?: boolean;
  /** Per-request behaviour, for http mode. */
  http?: (attributes: Attributes, random: () => number) => HttpAction;
}

export class ToxicAttributeError extends Error {
  override name = 'ToxicAttributeError';
}

/** What a tcp toxic may do to the connection it sits on. */
export interface TcpLinkControl {
  /** Close both sides gracefully (FIN), counted as a timeout when `reason` says so. */
  close(reason?: 'timeout'): void;
  /** Close both sides with a TCP RST. */
  reset(): void;
  /** Aborted when the link closes or the toxic is removed: stop timers. */
  signal: AbortSignal;
  random: () => number;
}

/**
 * One toxic on one link, in one direction (created when the toxic first
 * applies to the link). Chunks reach a stage one at a time: the next waits
 * until onChunk's promise settles, so data is never reordered; what a stage
 * pushes flows on to the next stage (or the socket) at once.
 */
export interface TcpStage {
  /** One chunk in, received from the socket at arrivedAtMs (performance.now()); push the pieces to pass on, now or later. */
  onChunk(chunk: Buffer, arrivedAtMs: number, push: (piece: Buffer) => void): void | Promise<void>;
  /** The sender finished (FIN); resolves when the end may pass on. */
  onEnd?(): void | Promise<void>;
  /** A stage that holds the connection (timeout): the link counts as timed out, and closes when it goes. */
  holdsConnection?: boolean;
}

/** What an http-mode toxic does to one request. */
export type HttpAction =
  /** Answer at once instead of the upstream (http_status). */
  | { kind: 'respond'; status: number; headers: Record<string, string>; body: string }
  /** Delay, then continue with the next toxic and the upstream. */
  | { kind: 'delay'; ms: number }
  /** Never answer; close the client connection after closeAfterMs (0 = hold until the client gives up). */
  | { kind: 'hold'; closeAfterMs: number }
  /** Reset the client connection after afterMs without answering. */
  | { kind: 'reset'; afterMs: number }
  /** Forward and let the upstream execute; discard its answer and reset the client connection. */
  | { kind: 'drop_response' }
  /** Nothing to do for this request. */
  | { kind: 'pass' };

/** Longest delay a toxic takes, ms: Node timers past 2^31 - 1 ms fire at once. */
export const MAX_DELAY_MS = 24 * 60 * 60 * 1000;

/** Reads a non-negative number attribute (Toxiproxy sends integers; fractions are accepted). */
export function nonNegative(
  attributes: Record<string, unknown>,
  name: string,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const value = attributes[name];
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
    throw new ToxicAttributeError(
      `attribute ${name} must be a number from 0 to ${max}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}
