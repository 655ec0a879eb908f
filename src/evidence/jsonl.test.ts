import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JsonLinesWriter, readJsonLines, readLines } from './jsonl.js';

describe('JSON lines evidence files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'n1v1-jsonl-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('reads back what was appended, in order, after close', async () => {
    const writer = new JsonLinesWriter<{ n: number }>(join(dir, 'a.jsonl'));
    for (let n = 0; n < 10_000; n += 1) writer.append({ n });
    await writer.close();
    expect(writer.count).toBe(10_000);
    let expected = 0;
    for await (const record of readJsonLines<{ n: number }>(writer.path)) {
      expect(record.n).toBe(expected);
      expected += 1;
    }
    expect(expected).toBe(10_000);
  });

  it('ignores appends after close and reads a missing file as empty', async () => {
    const writer = new JsonLinesWriter<number>(join(dir, 'b.jsonl'));
    writer.append(1);
    await writer.close();
    writer.append(2);
    expect(writer.count).toBe(1);
    const missing: string[] = [];
    for await (const line of readLines(join(dir, 'nothing.jsonl'))) missing.push(line);
    expect(missing).toEqual([]);
  });

  it('skips blank lines and keeps CRLF files whole', async () => {
    const path = join(dir, 'c.jsonl');
    await writeFile(path, '{"a":1}\r\n\r\n{"a":2}\n');
    const lines: string[] = [];
    for await (const line of readLines(path)) lines.push(line);
    expect(lines).toEqual(['{"a":1}', '{"a":2}']);
  });

  it('reports a write failure at close instead of throwing mid-run', async () => {
    const writer = new JsonLinesWriter<number>(join(dir, 'no-such-dir', 'd.jsonl'));
    writer.append(1);
    await expect(writer.close()).rejects.toThrow(/ENOENT/);
  });
});
