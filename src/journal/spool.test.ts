import { appendFile, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JournalEntry, OrderRecord } from './model.js';
import { SpoolFile } from './spool.js';

function entry(clientOrderId: string, version: number, note = ''): JournalEntry {
  const order = { clientOrderId, version, status: 'PENDING' } as OrderRecord;
  return { kind: 'INTENT', order, detail: { note } };
}

describe('SpoolFile', () => {
  let dir: string;
  let path: string;
  const open: SpoolFile[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'n1v1-spool-'));
    path = join(dir, 'nested', 'journal.spool');
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((spool) => spool.close()));
    await rm(dir, { recursive: true, force: true });
  });

  async function openSpool(): Promise<SpoolFile> {
    const spool = await SpoolFile.open(path);
    open.push(spool);
    return spool;
  }

  it('appends JSON lines in order and reads them back', async () => {
    const spool = await openSpool();
    await spool.append([entry('a-1', 1), entry('a-1', 2)]);
    await spool.append([entry('b-1', 1, 'line\nbreak "quoted"')]);
    expect(spool.depth).toBe(3);
    expect(await spool.readAll()).toEqual([
      entry('a-1', 1),
      entry('a-1', 2),
      entry('b-1', 1, 'line\nbreak "quoted"'),
    ]);
    expect((await readFile(path, 'utf8')).split('\n')).toHaveLength(4);
  });

  it('reads in slices from an offset, as replay does', async () => {
    const spool = await openSpool();
    await spool.append(Array.from({ length: 7 }, (_, n) => entry(`c-${n}`, 1)));
    const first = await spool.read(0, 3);
    const second = await spool.read(first.nextOffset, 3);
    const third = await spool.read(second.nextOffset, 3);
    const rest = await spool.read(third.nextOffset, 3);
    const ids = [first, second, third].flatMap((r) => r.entries.map((e) => e.order.clientOrderId));
    expect(ids).toEqual(['c-0', 'c-1', 'c-2', 'c-3', 'c-4', 'c-5', 'c-6']);
    expect(rest).toEqual({ entries: [], nextOffset: third.nextOffset });
  });

  it('reads lines longer than its read chunk', async () => {
    const spool = await openSpool();
    const big = entry('d-1', 1, 'x'.repeat(3 << 20));
    await spool.append([big, entry('d-2', 1)]);
    expect(await spool.readAll()).toEqual([big, entry('d-2', 1)]);
  });

  it('truncates to empty, and keeps appending after', async () => {
    const spool = await openSpool();
    await spool.append([entry('e-1', 1)]);
    await spool.truncate();
    expect(spool.depth).toBe(0);
    expect((await stat(path)).size).toBe(0);
    await spool.append([entry('e-2', 1)]);
    expect(await spool.readAll()).toEqual([entry('e-2', 1)]);
  });

  it('ignores a torn last line from a crash, and appends after it cleanly', async () => {
    const first = await openSpool();
    await first.append([entry('f-1', 1), entry('f-1', 2)]);
    await first.close();
    open.splice(0);
    await appendFile(path, '{"kind":"INTENT","order":{"clientOrd');

    const reopened = await openSpool();
    expect(reopened.depth).toBe(2);
    await reopened.append([entry('f-1', 3)]);
    expect((await reopened.readAll()).map((e) => e.order.version)).toEqual([1, 2, 3]);
  });

  it('skips a mangled line in the middle instead of refusing the rest', async () => {
    const spool = await openSpool();
    await spool.append([entry('g-1', 1)]);
    await appendFile(path, 'not json\n');
    await spool.append([entry('g-1', 2)]);
    expect((await spool.readAll()).map((e) => e.order.version)).toEqual([1, 2]);
  });
});
