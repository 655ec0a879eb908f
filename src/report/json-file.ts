import { randomUUID } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ReportFileError } from './chaos-schema.js';

/** 2-space JSON and a trailing newline, via a temp file in the same directory and a rename. */
export async function writeJsonAtomically(path: string, value: unknown): Promise<void> {
  await writeTextAtomically(path, JSON.stringify(value, null, 2) + '\n');
}

/** Text via a temp file in the same directory and a rename: a reader never sees half a file. */
export async function writeTextAtomically(path: string, text: string): Promise<void> {
  // A leading dot and a .tmp ending keep a leftover out of readChaosRun's *_report.json.
  const temp = join(dirname(path), `.${basename(path)}.${randomUUID()}.tmp`);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(text, 'utf8');
      // Flushed before the rename, so that a crash cannot leave the final name on an empty file.
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** A report file's text; a ReportFileError naming it when it is missing or unreadable. */
export async function readRunFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT')
      throw new ReportFileError('MISSING', path, 'file is missing');
    throw new ReportFileError('UNREADABLE', path, `cannot read (${String(error)})`);
  }
}

export function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}
