import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDir } from '../support/chaos-run.js';
import { runCli } from '../support/cli.js';
import { result, writeLoadFile, writeRun } from '../support/report-fixtures.js';

const scratch = scratchDir();

describe('n1v1 report', () => {
  it('regenerates report.html, junit.xml and summary.md of a chaos run from its JSON', async () => {
    const dir = await writeRun(join(scratch(), 'chaos'), [
      result('network_partition', 0.4),
      result('rate_limit_flood', 52, ['sla_met']),
    ]);
    const { code, stdout, stderr } = await runCli(['report', dir]);
    expect(code, stderr).toBe(0);
    expect(stdout.trim().split('\n')).toEqual(
      ['report.html', 'junit.xml', 'summary.md'].map((file) => join(dir, file)),
    );
    const html = await readFile(join(dir, 'report.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('network_partition');
    // Self-contained: no script or stylesheet fetched from anywhere.
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)=["']?https?:/i);
    const junit = await readFile(join(dir, 'junit.xml'), 'utf8');
    expect(junit.match(/<testcase /g)).toHaveLength(2);
    expect(junit).toMatch(/<failure message="[^"]*sla_met/);
    const markdown = await readFile(join(dir, 'summary.md'), 'utf8');
    expect(markdown.split('\n')[0]).toContain('FAIL');
  });

  it('writes a load run’s page, JUnit and Markdown beside its results file', async () => {
    const file = await writeLoadFile(scratch());
    const { code, stderr } = await runCli(['report', file]);
    expect(code, stderr).toBe(0);
    const base = join(scratch(), 'load_test_results');
    expect(await readFile(`${base}.html`, 'utf8')).toContain('p95');
    expect(await readFile(`${base}.junit.xml`, 'utf8')).toContain('throughput_per_second');
    expect(await readFile(`${base}.md`, 'utf8')).toMatch(/FAIL/);
  });

  it('names a missing path, a missing summary or a malformed report, and exits 2', async () => {
    const missing = await runCli(['report', join(scratch(), 'nowhere')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nowhere: no such file or directory');

    const dir = await writeRun(join(scratch(), 'broken'), [result('network_partition', 1)]);
    await writeFile(join(dir, 'network_partition_report.json'), '{"scenario": {}}');
    const malformed = await runCli(['report', dir]);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/network_partition_report\.json: .*scenario\.name/);

    await rm(join(dir, 'chaos_summary.json'));
    const noSummary = await runCli(['report', dir]);
    expect(noSummary.code).toBe(2);
    expect(noSummary.stderr).toContain('chaos_summary.json: file is missing');

    const notJson = join(scratch(), 'notes.json');
    await writeFile(notJson, 'not json');
    const load = await runCli(['report', notJson]);
    expect(load.code).toBe(2);
    expect(load.stderr).toContain('notes.json: not valid JSON');
  });
});
