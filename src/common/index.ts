export { isJsonObject } from './json.js';
export { closeServer, hostPort, isLoopbackAddress, listen } from './net.js';
export { SeededRandom } from './random.js';
