import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScenarioResult } from '../chaos/index.js';
import { chaosSummary, scenarioReport } from './chaos-json.js';
import { ChaosSummarySchema, parseReportFile, ScenarioReportSchema } from './chaos-schema.js';
import { errorCode, readRunFile, writeJsonAtomically } from './json-file.js';
import { reportFiles, runDirectoryName } from './report-files.js';
import type { ChaosRunInfo, ChaosSummary, ScenarioReport } from './report-types.js';

export { reportFileName, runDirectoryName } from './report-files.js';

/** The summary's file name in every run directory (SPEC §4). */
export const SUMMARY_FILE = 'chaos_summary.json';
const REPORT_SUFFIX = '_report.json';
/** Runs started within the same second get `_2`, `_3`…; this many is a runaway loop, not a busy second. */
const MAX_RUN_DIRECTORIES_PER_SECOND = 1000;

export interface WriteChaosRunOptions {
  /** Name reports `<scenario>_<iteration>_report.json`. Default: true when the run had a soak duration. */
  soak?: boolean;
}

/**
 * Writes a run's reports into a new `<outputDir>/chaos_run_YYYYMMDD_HHMMSS`
 * directory (suffixed `_2`, `_3`… when that exists) and returns its path.
 * Each file is written under a temporary name and renamed into place, so a
 * reader never sees half a file; the summary goes last, so its presence
 * says the directory is complete.
 */
export async function writeChaosRun(
  outputDir: string,
  run: ChaosRunInfo,
  results: readonly ScenarioResult[],
  options: WriteChaosRunOptions = {},
): Promise<string> {
  const soak = options.soak ?? run.soakSeconds !== null;
  // Build everything first: a bad result must fail before a half-filled directory exists.
  const summary = chaosSummary(run, results, { soak });
  const reports = reportFiles(results, soak).map(({ result, file }) => ({
    file,
    report: scenarioReport(result),
  }));
  const dir = await claimRunDirectory(outputDir, runDirectoryName(run.startedAt));
  for (const { file, report } of reports) await writeJsonAtomically(join(dir, file), report);
  await writeJsonAtomically(join(dir, SUMMARY_FILE), summary);
  return dir;
}

/** Creates the run directory; a plain mkdir fails on an existing one, which makes the claim race-free. */
async function claimRunDirectory(outputDir: string, name: string): Promise<string> {
  await mkdir(outputDir, { recursive: true });
  for (let attempt = 1; attempt <= MAX_RUN_DIRECTORIES_PER_SECOND; attempt += 1) {
    const dir = join(outputDir, attempt === 1 ? name : `${name}_${attempt}`);
    try {
      await mkdir(dir);
      return dir;
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
    }
  }
  throw new Error(`${join(outputDir, name)}: ${MAX_RUN_DIRECTORIES_PER_SECOND} runs already exist`);
}

/**
 * Reads a run directory back: its summary and every `*_report.json`, each
 * checked against its schema. Reports come in the summary's (run) order,
 * then any the summary does not list, by name. Throws a ReportFileError
 * naming the file, and the field when one is bad, on a missing summary, a
 * report the summary lists but the directory lacks, or a malformed file.
 */
export async function readChaosRun(
  dir: string,
): Promise<{ summary: ChaosSummary; reports: ScenarioReport[] }> {
  const summary = parseReportFile(
    ChaosSummarySchema,
    await readRunFile(join(dir, SUMMARY_FILE)),
    join(dir, SUMMARY_FILE),
  );
  const listed = summary.scenarios.map((scenario) => scenario.report_file);
  const present = (await readdir(dir)).filter((name) => name.endsWith(REPORT_SUFFIX)).sort();
  const unlisted = present.filter((name) => !listed.includes(name));
  const reports: ScenarioReport[] = [];
  for (const name of [...listed, ...unlisted]) {
    const path = join(dir, name);
    reports.push(parseReportFile(ScenarioReportSchema, await readRunFile(path), path));
  }
  return { summary, reports };
}
