export { SeededRandom } from './random.js';
export { closeServer, hostPort, isLoopbackAddress, listen } from './net.js';
