export { startHealthServer } from './server.js';
export type {
  HealthServer,
  HealthServerOptions,
  RouteHandler,
  RouteRequest,
  RouteResponse,
} from './server.js';
export { healthReport, httpStatusOf, worstStatus } from './report.js';
export type { ComponentHealth, HealthReport, HealthStatus } from './report.js';
