import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempStore } from '../helpers.js';
import { ingest, writeText } from './util.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

describe('a file that is not what its name says gets one line', () => {
  it('a binary file named .csv: the headers it "has" are shown escaped and cut, on one line', async () => {
    // measured: a 6-line stderr message with control bytes (the garbage header printed as it is)
    const t = await tempStore();
    cleanup = t.cleanup;
    const bytes = Buffer.alloc(3000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 37 + 11) % 256;
    bytes.write('\x7fELF\x02\x01\x01\x00\r\n\x00,\x03\n', 0, 'latin1');
    const file = join(t.dir, 'garbage.csv');
    writeFileSync(file, bytes);
    const err = await ingest(t.store, [file]).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toContain('garbage.csv：找不到必填字段 order_id');
    expect(err?.message).not.toMatch(CONTROL);
    expect(err?.message).toContain('\\x7fELF\\x02');
    expect(err!.message.length).toBeLessThan(600);
  });

  it('a cut JSON Lines file names the line that is not JSON, not a missing column', async () => {
    // measured: {"order_id":"J1" → 找不到必填字段 order_id 对应的列（…文件的列：）
    const t = await tempStore();
    cleanup = t.cleanup;
    const file = writeText(t.dir, 'cut.jsonl', '{"order_id":"J1"');
    const s = await ingest(t.store, [file]);
    expect(s.set_aside).toHaveLength(1);
    expect(s.set_aside[0].reason).toBe(`${file}：第 1 行：不是有效的 JSON 对象`);
  });

  it('a JSON Lines file with good objects still loads them and quarantines the cut last line', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const good = '{"order_id":"J1","created_at":"2024-01-02 08:00:00","category":"城乡建设","content":"好"}';
    const file = writeText(t.dir, 'part.jsonl', `${good}\n{"order_id":"J2"`);
    const s = await ingest(t.store, [file]);
    expect(s).toMatchObject({ loaded: 1, quarantined: 1, set_aside: [] });
    expect(await t.store.value('SELECT reason_code FROM quarantine')).toBe('not_json_object');
  });
});
