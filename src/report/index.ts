export { chaosSummary, scenarioReport } from './chaos-json.js';
export {
  ChaosSummarySchema,
  parseReportFile,
  ReportFileError,
  ScenarioReportSchema,
  type ReportFileErrorCode,
} from './chaos-schema.js';
export { reportFileName, reportFiles, runDirectoryName } from './report-files.js';
export type { ChaosRunInfo, ChaosSummary, CountedPhase, ScenarioReport } from './report-types.js';
export {
  readChaosRun,
  SUMMARY_FILE,
  writeChaosRun,
  type WriteChaosRunOptions,
} from './run-directory.js';
export { loadReport, readLoadReport, writeLoadReport } from './load-report.js';
export { LoadReportSchema, type LoadReport } from './load-schema.js';
export { chaosJunitXml, loadJunitXml } from './junit.js';
export { chaosMarkdown, loadMarkdown } from './markdown.js';
export { slaFigure } from './figures.js';
export { VIEW_FILES, writeChaosViews, writeLoadViews } from './views.js';
