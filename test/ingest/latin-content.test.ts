import { afterEach, describe, expect, it } from 'vitest';
import { tempStore } from '../helpers.js';
import { ingest, writeText } from './util.js';

// Invented rows in an English 311 export's form: a free-text description and the request type both mapped to
// content (the description is empty in most Open311 records, so the type stands in).
const CSV = [
  'id,opened,type,description',
  '1,2018-10-24 18:00:00,Graffiti,Bike locked to a post for three months',
  '2,2018-10-24 18:05:00,Graffiti,Tag on the bridge wall.',
  '3,2018-10-24 18:10:00,供暖,暖气不热',
  '4,2018-10-24 18:15:00,供暖,暖气不热！',
  '5,2018-10-24 18:20:00,Graffiti,',
  '6,2018-10-24 18:25:00,2023年改扩建,G15沈海高速封闭至12月31',
].join('\n');
const MAPPING = JSON.stringify({
  columns: { id: 'order_id', opened: 'created_at', description: 'content', type: 'content' },
  category_levels: ['type'],
});

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('content joined from several columns, in the script of the text', () => {
  it("joins Latin parts with '. ' (a space after their own full stop), Chinese parts with '。' as before", async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const s = await ingest(t.store, [writeText(t.dir, 'sr.csv', CSV)], {
      mapping: writeText(t.dir, 'm.json', MAPPING),
    });
    expect(s).toMatchObject({ read: 6, loaded: 6, quarantined: 0 });
    const rows = await t.store.all<{ content: string }>('SELECT content FROM orders ORDER BY order_id');
    expect(rows.map((r) => r.content)).toEqual([
      'Bike locked to a post for three months. Graffiti',
      'Tag on the bridge wall. Graffiti',
      '暖气不热。供暖',
      '暖气不热！供暖',
      'Graffiti',
      // a Chinese text starting with digits after a Latin-ending part is still joined the Chinese way
      'G15沈海高速封闭至12月31。2023年改扩建',
    ]);
  });
});
