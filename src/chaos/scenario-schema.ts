import { z } from 'zod';
import type { ProxyMode } from '../proxy/index.js';
import { FAILURE_TYPES } from '../watchdog/index.js';
import type { ScenarioTarget } from './model.js';

/** The shape of a scenario file (snake_case, strict), in zod; the rules across fields are in scenario-file.ts. */

/** The mode each target's proxy runs in: the exchange speaks HTTP, the database raw TCP. */
export const TARGET_PROXY_MODES: Readonly<Record<ScenarioTarget, ProxyMode>> = {
  exchange: 'http',
  database: 'tcp',
};

export type Path = readonly PropertyKey[];

const TARGETS = ['exchange', 'database'] as const satisfies readonly ScenarioTarget[];
const NAME = /^[a-z][a-z0-9_]{0,63}$/;
const NAME_RULE =
  'expected lower-case letters, digits and underscores, starting with a letter, at most 64 characters';
/** Longest window and SLA, s: a day. Longer is a typo, and overflows Node's timers. */
const MAX_SECONDS = 86_400;

/** A number the check accepts; `expected` says which in plain words, for the message. */
function numberWhere(expected: string, accepts: (value: number) => boolean) {
  const error = `expected ${expected}`;
  return z.number({ error }).refine(accepts, { error });
}

const seconds = (max = MAX_SECONDS) =>
  numberWhere(`a number of seconds above 0, at most ${max}`, (n) => n > 0 && n <= max);
const percent = () => numberWhere('a number from 0 to 100', (n) => n >= 0 && n <= 100);
const oneOf = <const T extends readonly string[]>(values: T) =>
  z.enum(values, { error: `expected one of ${values.join(', ')}` });

/** An object whose unknown fields are errors: a typo must not be silently ignored. */
function strictObject<Shape extends z.ZodRawShape>(shape: Shape, expected: string) {
  const known = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== 'unrecognized_keys') return `expected ${expected}`;
      const names = issue.keys.map((key) => JSON.stringify(key)).join(', ');
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${names}; expected: ${known}`;
    },
  });
}

const faultSchema = strictObject(
  {
    target: oneOf(TARGETS),
    toxic: z.string({ error: 'expected a toxic type or "disabled"' }),
    toxicity: numberWhere('a number from 0 to 1', (n) => n >= 0 && n <= 1).default(1),
    stream: oneOf(['upstream', 'downstream']).default('downstream'),
    scope: oneOf(['connection', 'chunk']).default('connection'),
    attributes: z
      .record(z.string(), z.unknown(), { error: 'expected an object of toxic attributes' })
      .default(() => ({})),
    match: strictObject(
      {
        method: z
          .string({ error: 'expected an HTTP method, e.g. POST' })
          .regex(/^[A-Za-z]+$/, {
            error: 'expected an HTTP method, e.g. POST',
          })
          .optional(),
        path: z
          .string({ error: 'expected a path glob, e.g. /api/v3/order' })
          .startsWith('/', { error: 'expected a path glob starting with /, e.g. /api/v3/order' })
          .optional(),
      },
      '{method, path}: which requests the fault applies to',
    ).optional(),
    start_seconds: numberWhere('a number of seconds, 0 or more', (n) => n >= 0).default(0),
    duration_seconds: seconds().optional(),
  },
  'a fault object',
);

export const scenarioSchema = strictObject(
  {
    name: z.string({ error: NAME_RULE }).regex(NAME, { error: NAME_RULE }),
    description: z
      .string({ error: 'expected a non-empty string' })
      .refine((text) => text.trim() !== '', { error: 'expected a non-empty string' }),
    failure_type: oneOf(FAILURE_TYPES),
    target: oneOf(TARGETS),
    baseline_seconds: seconds(3600).default(30),
    chaos_seconds: seconds(),
    sla_recovery_seconds: seconds(),
    recovery_timeout_seconds: seconds().optional(),
    expected_failure_rate: percent(),
    failure_band: strictObject({ min: percent(), max: percent() }, '{min, max}').optional(),
    recovery_tolerance_percent: percent().default(10),
    faults: z
      .array(faultSchema, { error: 'expected a list of faults' })
      .min(1, { error: 'expected at least one fault' }),
  },
  'a scenario object',
);

/** The system under test, beside a list of scenarios: the file's answer to the --target-* flags. */
export const targetSchema = strictObject(
  {
    command: z
      .string({ error: 'expected the shell command that runs your bot' })
      .refine((text) => text.trim() !== '', { error: 'expected a non-empty command' }),
    ready: z
      .string({ error: 'expected a regular expression matching a line of its output' })
      .refine(isRegExp, { error: 'expected a valid regular expression' })
      .optional(),
    health: z
      .url({ error: 'expected an http:// URL that answers 2xx once it is ready' })
      .optional(),
    ready_timeout_seconds: seconds(3600).optional(),
    grace_seconds: seconds(600).optional(),
    intents: z.boolean({ error: 'expected true or false' }).optional(),
    expect_flat: z.boolean({ error: 'expected true or false' }).optional(),
  },
  'a target object {command, ready, health, ready_timeout_seconds, grace_seconds, intents, expect_flat}',
);

function isRegExp(text: string): boolean {
  try {
    new RegExp(text);
    return true;
  } catch {
    return false;
  }
}

export const listSchema = strictObject(
  {
    target: targetSchema.optional(),
    scenarios: z
      .array(scenarioSchema, { error: 'expected a list of scenarios' })
      .min(1, { error: 'expected at least one scenario' }),
  },
  '{scenarios: [...]}',
);

export type ScenarioInput = z.output<typeof scenarioSchema>;
export type FaultInput = z.output<typeof faultSchema>;
export type TargetInput = z.output<typeof targetSchema>;
