import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { isJsonObject, messageOf } from '../common/index.js';
import { ProxyError, parseToxicSpec, toxicDefinition, toxicTypes } from '../proxy/index.js';
import type { FaultSpec, Scenario, TargetConfig } from './model.js';
import {
  listSchema,
  scenarioSchema,
  TARGET_PROXY_MODES,
  type FaultInput,
  type Path,
  type ScenarioInput,
  type TargetInput,
} from './scenario-schema.js';

export { TARGET_PROXY_MODES } from './scenario-schema.js';

/** Why a scenario file was refused: it could not be read, parsed, or it broke a rule. */
export type ScenarioFileErrorCode = 'unreadable' | 'syntax' | 'invalid';

/** Every problem with a scenario file; the message names the file, the field and what was expected. */
export class ScenarioFileError extends Error {
  override name = 'ScenarioFileError';

  constructor(
    readonly file: string,
    problem: string,
    readonly code: ScenarioFileErrorCode = 'invalid',
  ) {
    super(`${file}: ${problem}`);
  }
}

/** Reads and validates a scenario file (YAML, or JSON when it ends in .json). */
export async function loadScenarioFile(path: string): Promise<Scenario[]> {
  return (await loadScenarioConfig(path)).scenarios;
}

/** A scenario file's scenarios, and the system under test it names (`target:` beside `scenarios:`), if any. */
export interface ScenarioConfig {
  scenarios: Scenario[];
  target: TargetConfig | undefined;
}

/** Reads and validates a scenario file with the target it may name. */
export async function loadScenarioConfig(path: string): Promise<ScenarioConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ScenarioFileError(path, `cannot read the file: ${messageOf(error)}`, 'unreadable');
  }
  return parseScenarioConfig(text, path);
}

/** Validates a scenario file's text: one scenario or `{scenarios: [...]}`, defaults filled in. */
export function parseScenarioDocument(text: string, fileName: string): Scenario[] {
  return parseScenarioConfig(text, fileName).scenarios;
}

/** Validates a scenario file's text: one scenario, or `{target?, scenarios: [...]}`. */
export function parseScenarioConfig(text: string, fileName: string): ScenarioConfig {
  const document = parseText(text, fileName);
  if (document === null || document === undefined) {
    throw new ScenarioFileError(
      fileName,
      'the file is empty; expected a scenario or {scenarios: [...]}',
    );
  }
  if (!isJsonObject(document)) {
    const problem = `expected a scenario or {scenarios: [...]}, got ${shown(document)}`;
    throw new ScenarioFileError(fileName, problem);
  }
  const listed = Object.hasOwn(document, 'scenarios');
  const list = listed ? validate(listSchema, document, fileName) : undefined;
  const inputs = list ? list.scenarios : [validate(scenarioSchema, document, fileName)];
  const scenarios = inputs.map((input, index) =>
    toScenario(input, listed ? ['scenarios', index] : [], fileName),
  );
  const first = new Map<string, number>();
  scenarios.forEach(({ name }, index) => {
    const earlier = first.get(name);
    if (earlier !== undefined) {
      const problem = `${JSON.stringify(name)} is already the name of scenarios[${earlier}]`;
      throw invalid(fileName, ['scenarios', index, 'name'], problem);
    }
    first.set(name, index);
  });
  return { scenarios, target: list?.target && toTarget(list.target) };
}

function toTarget(input: TargetInput): TargetConfig {
  return {
    command: input.command,
    readyPattern: input.ready,
    healthUrl: input.health,
    readyTimeoutSeconds: input.ready_timeout_seconds,
    graceSeconds: input.grace_seconds,
    intents: input.intents,
    expectFlat: input.expect_flat,
  };
}

function parseText(text: string, fileName: string): unknown {
  if (text.trim() === '') return undefined;
  if (/\.json$/i.test(fileName)) {
    try {
      return JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (error) {
      throw new ScenarioFileError(fileName, `JSON syntax error: ${messageOf(error)}`, 'syntax');
    }
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  // Warnings too (an unknown tag, say): the value they leave behind is a guess.
  const problem = document.errors[0] ?? document.warnings[0];
  if (problem) {
    const { line, col } = lineCounter.linePos(problem.pos[0]);
    const where = `at line ${line}, column ${col}`;
    throw new ScenarioFileError(
      fileName,
      `YAML syntax error ${where}: ${problem.message}`,
      'syntax',
    );
  }
  try {
    return document.toJS();
  } catch (error) {
    // toJS refuses an alias bomb (too many aliases) here.
    throw new ScenarioFileError(fileName, `YAML error: ${messageOf(error)}`, 'syntax');
  }
}

function validate<T>(schema: z.ZodType<T>, value: unknown, fileName: string): T {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  const issue = mostSpecific(result.error.issues);
  if (issue.code === 'unrecognized_keys') throw invalid(fileName, issue.path, issue.message);
  const problem =
    issue.input === undefined ? 'required' : `${issue.message}, got ${shown(issue.input)}`;
  throw invalid(fileName, issue.path, problem);
}

/**
 * The issue to report: the deepest, since `faults[0].toxicity` says more than
 * `faults[0]`. An unknown field counts one level below its object and wins a
 * tie: the typo `chaos_second` explains the `chaos_seconds: required` beside it.
 */
function mostSpecific(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue {
  const rank = (issue: z.core.$ZodIssue) =>
    issue.path.length * 2 + (issue.code === 'unrecognized_keys' ? 3 : 0);
  return issues.reduce((best, issue) => (rank(issue) > rank(best) ? issue : best));
}

function toScenario(input: ScenarioInput, at: Path, fileName: string): Scenario {
  const sla = input.sla_recovery_seconds;
  const recoveryTimeoutSeconds = input.recovery_timeout_seconds ?? 2 * sla;
  if (recoveryTimeoutSeconds < sla) {
    const problem = `expected at least sla_recovery_seconds (${sla}), got ${recoveryTimeoutSeconds}`;
    throw invalid(fileName, [...at, 'recovery_timeout_seconds'], problem);
  }
  const expected = input.expected_failure_rate;
  const failureBand = input.failure_band ?? {
    min: Math.max(0, expected - 10),
    max: Math.min(100, expected + 10),
  };
  if (failureBand.min > failureBand.max) {
    const problem = `expected min at most max, got min ${failureBand.min}, max ${failureBand.max}`;
    throw invalid(fileName, [...at, 'failure_band'], problem);
  }
  return {
    name: input.name,
    description: input.description,
    failureType: input.failure_type,
    target: input.target,
    baselineSeconds: input.baseline_seconds,
    chaosSeconds: input.chaos_seconds,
    recoveryTimeoutSeconds,
    slaRecoverySeconds: sla,
    expectedFailureRate: expected,
    failureBand,
    recoveryTolerancePercent: input.recovery_tolerance_percent,
    faults: input.faults.map((fault, index) =>
      toFault(fault, [...at, 'faults', index], input.chaos_seconds, fileName),
    ),
  };
}

function toFault(input: FaultInput, at: Path, chaosSeconds: number, fileName: string): FaultSpec {
  checkToxic(input, at, fileName);
  const start = input.start_seconds;
  const duration = input.duration_seconds;
  if (start >= chaosSeconds) {
    const problem = `expected less than chaos_seconds (${chaosSeconds}), got ${start}`;
    throw invalid(fileName, [...at, 'start_seconds'], problem);
  }
  if (duration !== undefined && start + duration > chaosSeconds) {
    const problem = `expected start_seconds + duration_seconds at most chaos_seconds (${chaosSeconds}), got ${start} + ${duration}`;
    throw invalid(fileName, [...at, 'duration_seconds'], problem);
  }
  return {
    target: input.target,
    toxic: input.toxic,
    toxicity: input.toxicity,
    scope: input.scope,
    stream: input.stream,
    attributes: input.attributes,
    ...(input.match && { match: input.match }),
    startSeconds: start,
    durationSeconds: duration,
  };
}

/** The toxic exists, works in the target proxy's mode, and the proxy accepts its attributes. */
function checkToxic(fault: FaultInput, at: Path, fileName: string): void {
  if (fault.scope === 'chunk' && TARGET_PROXY_MODES[fault.target] === 'http') {
    const problem = `the ${fault.target} proxy draws per request already; scope chunk is for tcp targets (database)`;
    throw invalid(fileName, [...at, 'scope'], problem);
  }
  if (fault.match && TARGET_PROXY_MODES[fault.target] !== 'http') {
    const problem = `the ${fault.target} proxy sees no HTTP requests; match is for http targets (exchange)`;
    throw invalid(fileName, [...at, 'match'], problem);
  }
  if (fault.match && fault.toxic === 'disabled') {
    const problem = 'a disabled proxy refuses every connection; it cannot pick requests';
    throw invalid(fileName, [...at, 'match'], problem);
  }
  if (fault.toxic === 'disabled') {
    // A switched-off proxy refuses every connection: a partial or shaped one is a mistake.
    if (fault.toxicity !== 1) {
      const problem = `a disabled proxy refuses every connection; expected 1, got ${fault.toxicity}`;
      throw invalid(fileName, [...at, 'toxicity'], problem);
    }
    const names = Object.keys(fault.attributes);
    if (names.length > 0) {
      const problem = `a disabled proxy takes no attributes, got ${names.join(', ')}`;
      throw invalid(fileName, [...at, 'attributes'], problem);
    }
    return;
  }
  const definition = toxicDefinition(fault.toxic);
  if (!definition) {
    const known = ['disabled', ...toxicTypes()].join(', ');
    const problem = `unknown toxic ${JSON.stringify(fault.toxic)}; known: ${known}`;
    throw invalid(fileName, [...at, 'toxic'], problem);
  }
  const mode = TARGET_PROXY_MODES[fault.target];
  if (!definition.modes.includes(mode)) {
    const problem = `${JSON.stringify(fault.toxic)} does not work on the ${fault.target} proxy (${mode} mode)`;
    throw invalid(fileName, [...at, 'toxic'], problem);
  }
  if (fault.scope === 'chunk' && !definition.perChunk) {
    const problem = `${fault.toxic} holds state across chunks and cannot be drawn per chunk`;
    throw invalid(fileName, [...at, 'scope'], problem);
  }
  const known = Object.keys(parsedAttributes(fault, at, fileName));
  // The tcp toxics ignore attributes they do not know, as Toxiproxy does: in a
  // file that would turn a typo into a silent default.
  const unknown = Object.keys(fault.attributes).filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    const problem = `${fault.toxic}: unknown attribute ${unknown.join(', ')} (expected: ${known.join(', ')})`;
    throw invalid(fileName, [...at, 'attributes'], problem);
  }
}

/** The attributes as the proxy reads them, defaults filled; its refusal in its own words. */
function parsedAttributes(fault: FaultInput, at: Path, fileName: string): object {
  try {
    const { toxic: type, toxicity, stream, attributes, scope } = fault;
    return parseToxicSpec({ type, toxicity, stream, attributes, scope }).attributes;
  } catch (error) {
    if (error instanceof ProxyError) throw invalid(fileName, [...at, 'attributes'], error.message);
    throw error;
  }
}

function invalid(fileName: string, path: Path, problem: string): ScenarioFileError {
  return new ScenarioFileError(
    fileName,
    path.length > 0 ? `${pathText(path)}: ${problem}` : problem,
  );
}

/** ['scenarios', 1, 'faults', 0] → `scenarios[1].faults[0]`. */
function pathText(path: Path): string {
  return path
    .map((key, index) => {
      if (typeof key === 'number') return `[${key}]`;
      return index === 0 ? String(key) : `.${String(key)}`;
    })
    .join('');
}

/** A value as a message shows it: short, and containers by kind only. */
function shown(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (isJsonObject(value)) return 'an object';
  const text = typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
