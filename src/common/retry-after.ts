/**
 * A `Retry-After` value in seconds: delay-seconds ("1", "0.5") or an HTTP
 * date, the two forms RFC 9110 allows; a header repeated counts by its
 * first value. Undefined when absent or neither form.
 */
export function parseRetryAfterS(value: unknown, nowMs = Date.now()): number | undefined {
  if (Array.isArray(value)) value = value[0];
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs) / 1000;
}
