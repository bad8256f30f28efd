import { afterEach, describe, expect, it } from 'vitest';
import { tempStore } from '../helpers.js';
import { ingest, writeText } from './util.js';

// `format` in the summary and in ingested_files says how the file is written: 'json' for one JSON document of records
// (a bare array, Open311's wrapper object), 'jsonl' for one object per line — whatever the extension.
const rec = (i: number) => ({
  order_id: `F${i}`,
  created_at: '2024-05-01 08:00:00',
  category: '城建',
  content: `第${i}件`,
});

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

async function setup() {
  const t = await tempStore();
  cleanup = t.cleanup;
  return t;
}

describe('the format a JSON file is reported as', () => {
  it('a document is json when loaded, when skipped as loaded before, and in ingested_files', async () => {
    const t = await setup();
    const arr = writeText(t.dir, 'array.json', JSON.stringify([rec(1), rec(2)]));
    const wrapped = writeText(t.dir, 'wrapped.json', JSON.stringify({ service_requests: [rec(3)] }, null, 2));
    const first = await ingest(t.store, [arr, wrapped]);
    expect(first.files.map((f) => [f.format, f.loaded])).toEqual([
      ['json', 2],
      ['json', 1],
    ]);
    const again = await ingest(t.store, [arr, wrapped]);
    expect(again.files.map((f) => [f.format, f.skipped])).toEqual([
      ['json', true],
      ['json', true],
    ]);
    const stored = await t.store.all<{ format: string }>('SELECT format FROM ingested_files ORDER BY path');
    expect(stored.map((r) => r.format)).toEqual(['json', 'json']);
  });

  it('JSON Lines stay jsonl, under .json or .jsonl, a cut first line included', async () => {
    const t = await setup();
    const lines = [rec(4), rec(5)].map((r) => JSON.stringify(r)).join('\n');
    const a = writeText(t.dir, 'lines.json', lines);
    const b = writeText(t.dir, 'lines.jsonl', [rec(6), rec(7)].map((r) => JSON.stringify(r)).join('\n'));
    const cut = writeText(t.dir, 'cut.json', '{"order_id": "F8", "con\n' + JSON.stringify(rec(9)));
    const s = await ingest(t.store, [a, b, cut]);
    expect(s.files.map((f) => [f.format, f.loaded, f.quarantined])).toEqual([
      ['jsonl', 2, 0],
      ['jsonl', 2, 0],
      ['jsonl', 1, 1],
    ]);
  });

  it('a document without records, and a cut document set aside, are json too', async () => {
    const t = await setup();
    const quiet = writeText(t.dir, 'quiet.json', '{"service_requests": []}');
    const cutArray = writeText(t.dir, 'cut-array.json', '[\n  {"order_id": "C1",\n');
    const s = await ingest(t.store, [quiet, cutArray]);
    expect(s.files.map((f) => [f.format, f.loaded, !!f.set_aside])).toEqual([
      ['json', 0, false],
      ['json', 0, true],
    ]);
  });
});
