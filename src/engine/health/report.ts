/** Health of one component or of the whole engine, from best to worst: healthy, degraded, unknown, failing, critical. */
export type HealthStatus = 'healthy' | 'degraded' | 'failing' | 'critical' | 'unknown';

/** One component's health: a status and whatever detail explains it. */
export interface ComponentHealth {
  status: HealthStatus;
  [detail: string]: unknown;
}

/** What GET /health answers. */
export interface HealthReport {
  status: HealthStatus;
  components: Record<string, ComponentHealth>;
  /** When the report was made, ms since the epoch. */
  at: number;
}

/** Severity order; unknown ranks above degraded because no news about a component is not good news. */
const SEVERITY: Record<HealthStatus, number> = {
  healthy: 0,
  degraded: 1,
  unknown: 2,
  failing: 3,
  critical: 4,
};

/** The worst of some statuses; healthy when there are none. */
export function worstStatus(statuses: Iterable<HealthStatus>): HealthStatus {
  let worst: HealthStatus = 'healthy';
  for (const status of statuses) if (SEVERITY[status] > SEVERITY[worst]) worst = status;
  return worst;
}

/** A report whose overall status is the worst of its components'. */
export function healthReport(
  components: Record<string, ComponentHealth>,
  at: number,
): HealthReport {
  return { status: worstStatus(Object.values(components).map((c) => c.status)), components, at };
}

/** Load balancers and orchestrators read the HTTP status: 200 while the engine can still serve. */
export function httpStatusOf(status: HealthStatus): 200 | 503 {
  return status === 'healthy' || status === 'degraded' ? 200 : 503;
}
