import type { ToxicDefinition } from './toxic.js';
import { bandwidth } from './bandwidth.js';
import { httpDropResponse } from './http-drop-response.js';
import { httpLatency } from './http-latency.js';
import { httpStatus } from './http-status.js';
import { httpTimeout } from './http-timeout.js';
import { latency } from './latency.js';
import { limitData } from './limit-data.js';
import { resetPeer } from './reset-peer.js';
import { slicer } from './slicer.js';
import { slowClose } from './slow-close.js';
import { timeout } from './timeout.js';

/**
 * Every toxic, by type name. To add one: write `toxics/<name>.ts` exporting a
 * ToxicDefinition (see toxic.ts and any neighbour), import it here, add it to
 * this list, and test it over real sockets in `toxics/<name>.test.ts`.
 */
const DEFINITIONS = [
  latency,
  bandwidth,
  slowClose,
  timeout,
  resetPeer,
  slicer,
  limitData,
  httpStatus,
  httpLatency,
  httpTimeout,
  httpDropResponse,
] as unknown as ReadonlyArray<ToxicDefinition<unknown>>;

const BY_TYPE = new Map(DEFINITIONS.map((definition) => [definition.type, definition]));

export function toxicDefinition(type: string): ToxicDefinition<unknown> | undefined {
  return BY_TYPE.get(type);
}

export function toxicTypes(): string[] {
  return [...BY_TYPE.keys()];
}
