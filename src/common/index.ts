export { SeededRandom } from './random.js';
export { isLoopbackAddress } from './net.js';
