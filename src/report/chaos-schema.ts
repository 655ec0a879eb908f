import { messageOf } from '../common/index.js';
import { z } from 'zod';
import type { ChaosSummary, ScenarioReport } from './report-types.js';
import { evidenceSectionsSchema } from './evidence-sections.js';
import {
  count,
  invariantsSchema as invariants,
  latencySchema as latency,
  seconds,
} from './sections.js';

// The SPEC's sections are strict objects, so a missing, renamed or extra key
// fails; the top level is loose, since the SPEC welcomes extra sections.
// Our own extra sections are checked too, because readChaosRun() promises
// them to its callers, but unknown keys inside them are dropped, not refused.

const percent = z.number().min(0).max(100);
/** ISO-8601 in UTC with a literal Z, as Date#toISOString writes it. */
const utcTime = z.iso.datetime();
const runStatus = z.enum(['completed', 'aborted', 'error', 'skipped']);
const phaseName = z.enum(['baseline', 'chaos', 'recovery', 'verify']);
const failedChecks = z.array(z.string());

const phaseWindow = z.object({ start_time: utcTime, end_time: utcTime.nullable() });
const timelinePoint = z.object({
  second: count,
  phase: phaseName,
  orders: count,
  failures: count,
  refused: count,
  p95_ms: seconds.nullable(),
  target_requests: count,
  target_failures: count,
});

export const ScenarioReportSchema = z.looseObject({
  scenario: z.strictObject({
    name: z.string().min(1),
    description: z.string(),
    duration_seconds: seconds,
    expected_failure_rate: percent,
    sla_recovery_time_seconds: seconds,
  }),
  execution: z.strictObject({
    start_time: utcTime,
    end_time: utcTime,
    recovery_time_seconds: seconds.nullable(),
    failure_injected: z.boolean(),
    recovery_detected: z.boolean(),
  }),
  metrics: z.strictObject({
    orders_before_chaos: count,
    orders_during_chaos: count,
    orders_after_chaos: count,
    failures_before_chaos: count,
    failures_during_chaos: count,
    failures_after_chaos: count,
    chaos_failure_rate: percent.nullable(),
    recovery_successful: z.boolean(),
  }),
  validation: z.strictObject({
    recovery_detected: z.boolean(),
    recovery_time_seconds: seconds.nullable(),
    sla_met: z.boolean(),
    failure_rate_acceptable: z.boolean(),
    watchdog_alerts_fired: z.boolean(),
    recovery_events_logged: z.boolean(),
  }),
  watchdog: z.strictObject({ alerts_count: count, recovery_events_count: count }),
  timestamp: utcTime,
  status: runStatus,
  error: z.string().nullable(),
  passed: z.boolean(),
  checks: z.array(
    z.object({
      name: z.string(),
      passed: z.boolean(),
      // Older reports had no skipped checks.
      skipped: z.boolean().default(false),
      detail: z.string(),
    }),
  ),
  failed_checks: failedChecks,
  seed: z.number(),
  iteration: z.int().positive(),
  expected_failure_band: z.object({ min: percent, max: percent }),
  target: z.enum(['exchange', 'database']),
  target_traffic: z.object({ requests: count, failures: count }),
  phases: z.object({
    baseline: phaseWindow.optional(),
    chaos: phaseWindow.optional(),
    recovery: phaseWindow.optional(),
    verify: phaseWindow.optional(),
  }),
  latency_ms: z.object({ baseline: latency, chaos: latency, recovery: latency }),
  orders_refused: z.object({ before_chaos: count, during_chaos: count, after_chaos: count }),
  diagnosis: z.object({
    injected_failure_type: z.string(),
    diagnosed_failure_type: z.string().nullable(),
    correct: z.boolean().nullable(),
    first_alert_ms: seconds.nullable(),
    actions: z.array(z.string()),
    // Reports written before events were recorded read as having none.
    events: z
      .array(
        z.object({
          time: utcTime,
          kind: z.enum(['alert', 'action', 'recovered']),
          name: z.string(),
        }),
      )
      .default([]),
  }),
  invariants: invariants.nullable(),
  ...evidenceSectionsSchema,
  timeline: z.array(timelinePoint),
}) satisfies z.ZodType<ScenarioReport>;

export const ChaosSummarySchema = z.looseObject({
  test_run: z.strictObject({
    timestamp: utcTime,
    duration_seconds: seconds,
    mode: z.enum(['sequential', 'random']),
    parallel: z.boolean(),
    total_scenarios: count,
    scenarios_run: z.array(z.string()),
  }),
  results: z.strictObject({
    passed_scenarios: count,
    failed_scenarios: count,
    pass_rate_percent: percent,
    average_recovery_time_seconds: seconds.nullable(),
  }),
  seed: z.number(),
  // Older summaries had no skipped scenarios.
  skipped_scenarios: count.default(0),
  soak_duration_seconds: seconds.nullable(),
  aborted: z.boolean(),
  scenarios: z.array(
    z.object({
      name: z.string(),
      iteration: z.int().positive(),
      passed: z.boolean(),
      status: runStatus,
      failed_checks: failedChecks,
      recovery_time_seconds: seconds.nullable(),
      chaos_failure_rate: percent.nullable(),
      report_file: z.string().regex(/^[a-z0-9_]+_report\.json$/),
    }),
  ),
}) satisfies z.ZodType<ChaosSummary>;

export type ReportFileErrorCode = 'MISSING' | 'UNREADABLE' | 'NOT_JSON' | 'INVALID';

/** A run directory's file that is missing or does not hold what it should; `fields` names the bad ones. */
export class ReportFileError extends Error {
  override name = 'ReportFileError';
  constructor(
    readonly code: ReportFileErrorCode,
    readonly file: string,
    message: string,
    readonly fields: string[] = [],
  ) {
    super(`${file}: ${message}`);
  }
}

/** Parses one report file's text against its schema; throws a ReportFileError naming each bad field. */
export function parseReportFile<T>(schema: z.ZodType<T>, text: string, file: string): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ReportFileError('NOT_JSON', file, `not valid JSON (${messageOf(error)})`);
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.flatMap((issue) => describeIssue(issue, value));
  const fields = [...new Set(problems.map((problem) => problem.field))];
  const message = problems.map((problem) => problem.text).join('; ');
  throw new ReportFileError('INVALID', file, message, fields);
}

type Issue = z.ZodError['issues'][number];

/** One line per bad field, with the field's dotted path (`scenario.name`, `timeline.3.phase`). */
function describeIssue(issue: Issue, value: unknown): { field: string; text: string }[] {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const field = [...path, key].join('.');
      return { field, text: `unexpected field ${field}` };
    });
  }
  const field = path.join('.');
  if (field === '') return [{ field, text: issue.message }];
  // Zod reports a missing key as a wrong type; say "missing", which is what a reader needs.
  if (!isPresent(value, issue.path)) return [{ field, text: `missing field ${field}` }];
  return [{ field, text: `${field}: ${issue.message}` }];
}

function isPresent(value: unknown, path: readonly PropertyKey[]): boolean {
  let node = value;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || !(key in node)) return false;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return true;
}
