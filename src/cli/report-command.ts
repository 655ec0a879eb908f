import { resolve } from 'node:path';
import { Command } from 'commander';
import { writeChaosViews, writeLoadViews } from '../report/index.js';
import { readResults } from './run-support.js';

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
export function writeViews(path: string): Promise<string[]> {
  return readResults(
    path,
    { chaos: writeChaosViews, load: writeLoadViews },
    () => 'no such file or directory',
  );
}
