import { basename, dirname, extname, join } from 'node:path';
import { chaosRunHtml, loadRunHtml } from './html/index.js';
import { writeTextAtomically } from './json-file.js';
import { chaosJunitXml, loadJunitXml } from './junit.js';
import { readLoadReport } from './load-report.js';
import { chaosMarkdown, loadMarkdown } from './markdown.js';
import { readChaosRun } from './run-directory.js';

/** The files people and CI read, beside the JSON they are made from. */
export const VIEW_FILES = { html: 'report.html', junit: 'junit.xml', markdown: 'summary.md' };

/**
 * Writes a chaos run directory's report.html, junit.xml and summary.md from
 * its JSON files, read back and checked: the views can never say other than
 * the reports. Resolves with the paths written.
 */
export async function writeChaosViews(dir: string): Promise<string[]> {
  const { summary, reports } = await readChaosRun(dir);
  return writeAll([
    [join(dir, VIEW_FILES.html), chaosRunHtml(summary, reports)],
    [join(dir, VIEW_FILES.junit), chaosJunitXml(summary, reports)],
    [join(dir, VIEW_FILES.markdown), chaosMarkdown(summary, reports)],
  ]);
}

/**
 * The same for a load run's results file: `<name>.html`, `<name>.junit.xml`
 * and `<name>.md` beside `<name>.json`.
 */
export async function writeLoadViews(resultsFile: string): Promise<string[]> {
  const report = await readLoadReport(resultsFile);
  const base = join(dirname(resultsFile), basename(resultsFile, extname(resultsFile)));
  return writeAll([
    [`${base}.html`, loadRunHtml(report)],
    [`${base}.junit.xml`, loadJunitXml(report)],
    [`${base}.md`, loadMarkdown(report)],
  ]);
}

/** Writes each [path, text] atomically; resolves with the paths. */
async function writeAll(files: ReadonlyArray<[string, string]>): Promise<string[]> {
  for (const [path, text] of files) await writeTextAtomically(path, text);
  return files.map(([path]) => path);
}
