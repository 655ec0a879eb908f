import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProcessGroup, processAlive } from './process-group.js';

/** A shell that starts a child which ignores SIGTERM, writes its pid, and waits. */
const STUBBORN_CHILD = `node -e "process.on('SIGTERM',()=>{});require('fs').writeFileSync(process.env.PID_FILE,String(process.pid));setInterval(()=>{},1000)" & wait`;

describe('ProcessGroup', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'n1v1-group-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('SIGTERM ends a well-behaved command within the grace, without SIGKILL', async () => {
    const group = new ProcessGroup('sleep 30', {});
    expect(group.running).toBe(true);
    const stopped = await group.stop(5_000);
    expect(stopped).toEqual({ killed: false, leftover: false });
    expect(await group.exited).toEqual({ code: null, signal: 'SIGTERM' });
    expect(group.running).toBe(false);
  });

  it('SIGKILLs the whole group after the grace: no child that ignores SIGTERM survives', async () => {
    const pidFile = join(dir, 'child.pid');
    const group = new ProcessGroup(STUBBORN_CHILD, { PID_FILE: pidFile });
    const childPid = await waitForPid(pidFile);
    const stopped = await group.stop(300);
    expect(stopped).toEqual({ killed: true, leftover: false });
    expect(processAlive(childPid)).toBe(false);
  });

  it('a command that cannot start ends with the reason, never a rejection', async () => {
    const group = new ProcessGroup('true', {}, join(dir, 'no-such-dir'));
    const exit = await group.exited;
    expect(exit).toMatchObject({ code: null, signal: null });
    expect(exit.error).toMatch(/ENOENT/);
    expect(await group.stop(100)).toEqual({ killed: false, leftover: false });
  });

  it('reports how a command that ended on its own exited, and passes its environment', async () => {
    const group = new ProcessGroup('exit $CODE', { CODE: '7' });
    expect(await group.exited).toEqual({ code: 7, signal: null });
    expect(group.running).toBe(false);
    expect(await group.stop(100)).toEqual({ killed: false, leftover: false });
  });
});

async function waitForPid(file: string): Promise<number> {
  for (let i = 0; i < 200; i += 1) {
    const text = await readFile(file, 'utf8').catch(() => '');
    if (text !== '') return Number(text);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the child never wrote its pid');
}
