/**
 * Output shared by every benchmark: numbers rounded once (so the JSON and the
 * table agree), an aligned plain-text table for people, and a JSON file per
 * run for machines and for comparing runs over time.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

/** Rounds to `digits` decimals; results are stored rounded so diffs between runs stay readable. */
export function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** When and where a run happened: numbers from different machines or Node versions differ. */
export interface RunInfo {
  timestamp: string;
  nodeVersion: string;
  cpuCount: number;
  cpuModel: string;
}

export function runInfo(): RunInfo {
  return {
    timestamp: new Date().toISOString(),
    nodeVersion: process.version,
    cpuCount: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
  };
}

/** One table column: its header and how a row renders in it. */
export interface Column<Row> {
  header: string;
  cell: (row: Row) => string;
}

/**
 * Prints rows under their headers, columns two spaces apart. The first column
 * is a label and aligns left; the others hold numbers and align right, so
 * digits line up.
 */
export function printTable<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): void {
  const header = columns.map((column) => column.header);
  const cells = rows.map((row) => columns.map((column) => column.cell(row)));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((line) => line[i]!.length)));
  const format = (line: string[]) =>
    line
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ');
  console.log(format(header));
  for (const line of cells) console.log(format(line));
}

/**
 * Writes `bench/results/<name>-<timestamp>.json` and overwrites
 * `<name>-latest.json` with the same content, so the newest run is always at
 * a fixed path while older runs stay for comparison. Colons are dropped from
 * the timestamp because some file systems reject them. Resolves with the
 * timestamped file's path.
 */
export async function writeResults(name: string, report: RunInfo): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const file = join(RESULTS_DIR, `${name}-${report.timestamp.replaceAll(':', '')}.json`);
  await writeFile(file, json);
  await writeFile(join(RESULTS_DIR, `${name}-latest.json`), json);
  return file;
}
