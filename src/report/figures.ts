/** How an SLA line's value or threshold reads, the same in every view of a load run. */
export function slaFigure(
  metric: 'p95_latency_ms' | 'failure_rate' | 'throughput_per_second' | 'invariants',
  value: number,
): string {
  const round2 = (n: number) => String(Math.round(n * 100) / 100);
  if (metric === 'failure_rate') return `${round2(value * 100)}%`;
  if (metric === 'p95_latency_ms') return `${round2(value)} ms`;
  if (metric === 'throughput_per_second') return `${round2(value)}/s`;
  return `${round2(value)} violation(s)`;
}
