import { afterEach, describe, expect, it } from 'vitest';
import { tempStore } from '../helpers.js';
import { arithmetic, ingest, writeText } from './util.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

/**
 * A German city's defect-report export (Mängelmelder) in its own format, rows invented: both category levels in one
 * cell joined by ' > ', a bare '/' inside level names, the unit in a multi-line quoted cell ending in line breaks,
 * and 'Keine Angabe' (not stated) as the district.
 */
const HEAD = 'ID,Gemeldet-am,Kategorie,Text,Stadtteil,Gruppe';
const ROWS = [
  '1,2021-03-01 09:00,Müll/Sauberkeit > Illegaler Müll,Sperrmüll am Ufer,Altstadt,"Technische Betriebe Konstanz\r\n\r\n"',
  '2,2021-03-01 10:00,Öffentliche Orte/Ufer > Freizeitgelände beschädigt/verunreinigt,Bank kaputt,Keine Angabe,"Technische Betriebe Konstanz"',
  '3,2021-03-02 11:00,Beleuchtung > Laterne defekt,Laterne aus,Petershausen,"Stadtwerke Konstanz\n"',
  '4,2021-03-02 12:00,Sonstiges,Anderes,Paradies,Stadtwerke Konstanz',
];
const MAPPING = {
  columns: {
    ID: 'order_id',
    'Gemeldet-am': 'created_at',
    Kategorie: 'category',
    Text: 'content',
    Stadtteil: 'district',
    Gruppe: 'dept',
  },
};

describe('an export that writes its separators with blanks around them', () => {
  it("keeps a bare '/' inside a level name, trims line breaks off units and reads 'Keine Angabe' as no place", async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const file = writeText(t.dir, 'maengel.csv', [HEAD, ...ROWS].join('\n') + '\n');
    const mapping = writeText(t.dir, 'm.json', JSON.stringify(MAPPING));
    const s = await ingest(t.store, [file], { mapping });
    expect(s).toMatchObject({ read: 4, loaded: 4, quarantined: 0 });
    expect(arithmetic(s)).toBe(true);
    const rows = await t.store.all<{ levels: string[]; district: string | null; dept: string }>(
      'SELECT category_levels AS levels, district, dept FROM orders ORDER BY order_id',
    );
    expect(rows.map((r) => [...r.levels])).toEqual([
      ['Müll/Sauberkeit', 'Illegaler Müll'],
      ['Öffentliche Orte/Ufer', 'Freizeitgelände beschädigt/verunreinigt'],
      ['Beleuchtung', 'Laterne defekt'],
      ['Sonstiges'],
    ]);
    expect(rows.map((r) => r.district)).toEqual(['Altstadt', null, 'Petershausen', 'Paradies']);
    expect(rows.map((r) => r.dept)).toEqual([
      'Technische Betriebe Konstanz',
      'Technische Betriebe Konstanz',
      'Stadtwerke Konstanz',
      'Stadtwerke Konstanz',
    ]);
  });

  it("still splits at a bare '/' where some path writes it as its only separator", async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const text = ['工单编号,受理时间,诉求分类,诉求内容', '1,2024-03-01 09:00,城市管理 > 市容,垃圾'];
    text.push('2,2024-03-01 10:00,城市管理/内涝积水,积水');
    const s = await ingest(t.store, [writeText(t.dir, 'a.csv', text.join('\n') + '\n')]);
    expect(s).toMatchObject({ read: 2, loaded: 2 });
    const levels = await t.store.all<{ l: string[] }>('SELECT category_levels AS l FROM orders ORDER BY order_id');
    expect(levels.map((r) => [...r.l])).toEqual([
      ['城市管理', '市容'],
      ['城市管理', '内涝积水'],
    ]);
  });
});
