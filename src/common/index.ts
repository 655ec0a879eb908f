export { messageOf } from './errors.js';
export { isJsonObject } from './json.js';
export { closeServer, hostPort, isLoopbackAddress, listen } from './net.js';
export { SeededRandom } from './random.js';
export { sleep } from './sleep.js';
export {
  LatencyRecorder,
  roundedPercentiles,
  type LatencyPercentiles,
  type LatencyRecorderOptions,
} from './latency.js';
export { withDefaults } from './defaults.js';
export {
  amount,
  decimalPlaces,
  DECIMALS,
  divide,
  floorToStep,
  formatAmount,
  minAmount,
  multiply,
  multiplyCeil,
  parseAmount,
  SCALE,
  signedAmount,
  toNumber,
  ZERO,
  type Amount,
  type ParseResult,
} from './decimal.js';
export { withLinkedSignal } from './linked-signal.js';
export { fileTime } from './file-time.js';
export { Listeners } from './listeners.js';
export { parseRetryAfterS } from './retry-after.js';
