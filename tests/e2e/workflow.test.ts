import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { notifyCommand } from '../../src/cli/notify-command.js';

/** The CI workflow (SPEC §7), checked for what GitHub cannot tell us before it runs. */
const root = fileURLToPath(new URL('../../', import.meta.url));
const text = readFileSync(`${root}.github/workflows/ci.yml`, 'utf8');

const Step = z.looseObject({
  name: z.string().optional(),
  uses: z.string().optional(),
  run: z.string().optional(),
  if: z.string().optional(),
  with: z.record(z.string(), z.unknown()).optional(),
});
const Job = z.looseObject({
  'runs-on': z.literal('ubuntu-latest'),
  'timeout-minutes': z.number().positive(),
  if: z.string().optional(),
  env: z.record(z.string(), z.string()).optional(),
  steps: z.array(Step).min(1),
});
const Workflow = z.object({
  name: z.string(),
  // yaml parses YAML 1.2, where `on` is a plain key, not a boolean.
  on: z.looseObject({
    push: z.null(),
    pull_request: z.null(),
    schedule: z.tuple([z.object({ cron: z.string() })]),
    workflow_dispatch: z.null(),
  }),
  permissions: z.object({ contents: z.literal('read') }),
  concurrency: z.object({ group: z.string(), 'cancel-in-progress': z.unknown() }),
  jobs: z.object({ test: Job, chaos: Job }),
});

const workflow = Workflow.parse(parse(text));
const { test, chaos } = workflow.jobs;
const allSteps = [...test.steps, ...chaos.steps];
const runs = (job: z.infer<typeof Job>) => job.steps.map((step) => step.run?.trim() ?? '');
const stepRunning = (pattern: RegExp) => chaos.steps.find((step) => pattern.test(step.run ?? ''));

describe('.github/workflows/ci.yml', () => {
  it('tests on push and pull request, and runs the chaos suite nightly at 02:00 UTC', () => {
    expect(workflow.on.schedule[0].cron).toBe('0 2 * * *');
  });

  it('installs, typechecks, lints and tests on Node 20 with the npm cache', () => {
    expect(runs(test)).toEqual(
      expect.arrayContaining(['npm ci', 'npm run typecheck', 'npm run lint', 'npm test']),
    );
    const setup = test.steps.find((step) => step.uses?.startsWith('actions/setup-node@'));
    expect(setup?.with).toMatchObject({ 'node-version': 20, cache: 'npm' });
  });

  it('runs the chaos suite only for the schedule (or by hand) on main, after the tests', () => {
    expect(chaos['needs']).toBe('test');
    expect(chaos.if).toContain("github.event_name == 'schedule'");
    expect(chaos.if).toContain("github.ref == 'refs/heads/main'");
    expect(test.if).toBeUndefined();
    expect(runs(chaos)).toContain('./scripts/chaos_test.sh');
  });

  it('uploads reports and logs for 90 days, whatever the outcome', () => {
    const upload = chaos.steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'));
    expect(upload?.uses).toBe('actions/upload-artifact@v4');
    expect(upload?.if).toBe('always()');
    expect(upload?.with?.['retention-days']).toBe(90);
    expect(String(upload?.with?.['path']).split('\n')).toEqual(
      expect.arrayContaining(['chaos_reports/', 'logs/']),
    );
  });

  it("appends the run's summary.md to the job summary, whatever the outcome", () => {
    const summary = stepRunning(/\$GITHUB_STEP_SUMMARY/);
    expect(summary?.if).toBe('always()');
    expect(summary?.run).toContain('chaos_reports/chaos_run_*/summary.md');
  });

  it('notifies Discord with the notify command, only when the secret is set', () => {
    expect(chaos.env?.['DISCORD_WEBHOOK']).toBe('${{ secrets.DISCORD_WEBHOOK }}');
    const notify = stepRunning(/ notify /);
    expect(notify?.if).toBe("always() && env.DISCORD_WEBHOOK != ''");
    expect(notify?.run).toMatch(
      /node dist\/cli\/main\.js notify "\$run_dir" --webhook "\$DISCORD_WEBHOOK" --kind discord/,
    );
    // The flags the step passes are the ones the command takes.
    const longs = notifyCommand().options.map((option) => option.long);
    expect(longs).toEqual(expect.arrayContaining(['--webhook', '--kind']));
  });

  it('pins every action to at least a major version', () => {
    const uses = allSteps.flatMap((step) => (step.uses ? [step.uses] : []));
    expect(uses.length).toBeGreaterThan(0);
    for (const action of uses)
      expect(action).toMatch(/^[\w.-]+\/[\w.-]+@(v\d+(\.\d+)*|[0-9a-f]{40})$/);
  });

  it('runs only scripts that exist: repository files, or the build of a source file', () => {
    const paths = allSteps.flatMap((step) => [
      ...(step.run ?? '').matchAll(/(?:^|\s)(?:\.\/)?((?:[\w.-]+\/)+[\w.-]+\.(?:sh|js|mjs))\b/g),
    ]);
    expect(paths.length).toBeGreaterThan(0);
    for (const [, path] of paths) {
      const source = path!.replace(/^dist\/(.*)\.js$/, 'src/$1.ts');
      expect(existsSync(`${root}${source}`), `${path} (${source})`).toBe(true);
    }
  });
});
