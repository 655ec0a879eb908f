import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { ReportFileError, writeChaosViews, writeLoadViews } from '../report/index.js';
import { UsageError } from './usage-error.js';

export function reportCommand(): Command {
  return new Command('report')
    .description(
      'regenerate the HTML report, JUnit XML and Markdown summary from JSON results: ' +
        'a chaos run directory (report.html, junit.xml, summary.md) or a load results file',
    )
    .argument('<path>', 'a chaos_run_… directory, or a load_test_results.json file')
    .action(async (path: string) => {
      for (const written of await writeViews(resolve(path))) process.stdout.write(`${written}\n`);
    });
}

/** The views of whatever the path holds; a missing or malformed file is named, exit 2. */
export async function writeViews(path: string): Promise<string[]> {
  const kind = await stat(path).then(
    (found) => (found.isDirectory() ? 'chaos' : 'load'),
    () => {
      throw new UsageError(`${path}: no such file or directory`);
    },
  );
  try {
    return kind === 'chaos' ? await writeChaosViews(path) : await writeLoadViews(path);
  } catch (error) {
    if (error instanceof ReportFileError) throw new UsageError(error.message);
    throw error;
  }
}
