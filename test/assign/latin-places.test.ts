import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateItems } from '../../src/assign/generate.js';
import { clip } from '../../src/assign/clip.js';
import type { Store } from '../../src/store/db.js';
import { sql } from '../../src/store/sql.js';
import { tempStore, testContext } from '../helpers.js';
import { addHotspot, addOrders } from './fixture.js';

/**
 * A US export's places on the lists a street office receives (Boston 311): the address a hotspot's orders point to
 * read "61TremontStBrightonMA02135" and "INTERSECTIONofFosterSt&WashingtonStBrigh…" (every space removed, as for
 * Chinese text, and one house of a street), and the list was headed "Allston / BrightonWard 22 交办清单". A Latin
 * address groups by its street like the report's (house number, city, state and ZIP dropped), is cut at a word,
 * and district and street names are joined with a space. Invented orders.
 */
let store: Store;
let cleanup: () => void;

beforeEach(async () => {
  ({ store, cleanup } = await tempStore());
});
afterEach(() => cleanup());

describe('assign on a US export', () => {
  it('points a hotspot item to the street its orders name, spaces kept', async () => {
    const addresses = [
      '61 Tremont St  Brighton  MA  02135',
      '75 Tremont St  Brighton  MA  02135',
      '75A-77 Tremont St, Brighton, MA',
      '10 Kelley Ct  Brighton  MA  02135',
    ];
    await addOrders(
      store,
      addresses.map((address, i) => ({
        id: `o${i}`,
        at: `2016-02-2${i} 10:00:00`,
        category: 'Parks/Trees/Tree Maintenance',
        district: 'Allston / Brighton',
        street: 'Ward 22',
        cell: '882a306551fffff',
        address,
      })),
    );
    await addHotspot(store, {
      asOf: '2016-03-01',
      cell: '882a306551fffff',
      category: 'Parks/Trees',
      count: 4,
      z: 3.1,
      district: 'Allston / Brighton',
      street: 'Ward 22',
    });
    await generateItems(testContext(store, '2016-03-01', { assign: { autoRecipients: true } }), {
      topics: false,
      hotspots: true,
    });
    const ev = JSON.parse(
      (await store.value<string>(`SELECT CAST(evidence AS VARCHAR) FROM assignments WHERE source = 'hotspot'`))!,
    ) as { address: string; address_orders: number };
    expect(ev.address).toBe('Tremont St');
    expect(ev.address_orders).toBe(3);
    const names = await store.all<{ name: string }>(`SELECT name FROM recipients WHERE kind = 'street'`);
    expect(names.map((n) => n.name)).toEqual(['Allston / Brighton Ward 22']);
  });

  it('points to the street of a European address that writes the house number after it (Konstanz)', async () => {
    // "Lindenweg 45, 78467 Konstanz, Germany": each house was its own group, so an item named one house
    // (位置：<street> 45, 1 of 3 orders) where its orders shared a street
    const addresses = [
      'Lindenweg 45, 78467 Konstanz, Germany',
      'Lindenweg 12a, 78467 Konstanz, Germany',
      'Obere Gasse 66, 78462 Konstanz, Germany',
    ];
    await addOrders(
      store,
      addresses.map((address, i) => ({
        id: `k${i}`,
        at: `2021-12-2${i} 10:00:00`,
        category: 'Beleuchtung/Straßenlaternen defekt',
        district: 'Petershausen-West',
        street: '',
        cell: '881f8e8107fffff',
        address,
      })),
    );
    await addHotspot(store, {
      asOf: '2022-01-01',
      cell: '881f8e8107fffff',
      category: 'Beleuchtung/Straßenlaternen defekt',
      count: 3,
      z: 3.3,
      district: 'Petershausen-West',
    });
    await generateItems(testContext(store, '2022-01-01', { assign: { autoRecipients: true } }), {
      topics: false,
      hotspots: true,
    });
    const ev = JSON.parse(
      (await store.value<string>(`SELECT CAST(evidence AS VARCHAR) FROM assignments WHERE source = 'hotspot'`))!,
    ) as { address: string; address_orders: number };
    expect(ev).toMatchObject({ address: 'Lindenweg', address_orders: 2 });
  });

  it('takes the street of every Latin address shape as its place root', async () => {
    await store.script(sql('assign/place_root_macro.sql'));
    const root = (a: string) => store.value<string>('SELECT assign_place_root($a)', { a });
    expect(await root('75A-77 Tremont St, Brighton, MA')).toBe('Tremont St');
    expect(await root('Lindenweg 12a, 78467 Konstanz, Germany')).toBe('Lindenweg');
    expect(await root('12 Route 9, Newton, MA')).toBe('Route 9');
    // a geocoder's "number, street, ZIP city": cut at the first comma first, it was the place "18"
    expect(await root('7, Am Lindenhang, 78464 Konstanz, Germany')).toBe('Am Lindenhang');
  });

  it("names a hotspot item's lead unit trimmed when the export's cell ends in line breaks (Konstanz)", async () => {
    // "Stadtwerke Konstanz\r\n" was the lead unit, its own recipient and file name ("auto-unit-Stadtwerke Konstanz__")
    await addOrders(
      store,
      [0, 1, 2].map((i) => ({
        id: `u${i}`,
        at: `2021-12-2${i} 10:00:00`,
        category: 'Beleuchtung/Straßenlaternen defekt',
        district: 'Petershausen-West',
        cell: '881f8e8107fffff',
      })),
    );
    await store.exec(`UPDATE orders SET dept = 'Stadtwerke Konstanz' || chr(13) || chr(10)`);
    await addHotspot(store, {
      asOf: '2022-01-01',
      cell: '881f8e8107fffff',
      category: 'Beleuchtung/Straßenlaternen defekt',
      count: 3,
      z: 3.3,
      district: 'Petershausen-West',
    });
    await generateItems(testContext(store, '2022-01-01', { assign: { autoRecipients: true } }), {
      topics: false,
      hotspots: true,
    });
    expect(await store.value<string>(`SELECT lead_unit FROM assignments WHERE source = 'hotspot'`)).toBe(
      'Stadtwerke Konstanz',
    );
    const units = await store.all<{ id: string }>(`SELECT recipient_id AS id FROM recipients WHERE kind = 'unit'`);
    expect(units.map((u) => u.id)).toEqual(['auto-unit-Stadtwerke Konstanz']);
  });

  it('names a hotspot item by its street when the city has no districts or streets (Toronto), never the cell id', async () => {
    const addresses = ['880 Dundas St W, former Toronto', '900 Dundas St W, former Toronto', '12 Bellwoods Ave'];
    await addOrders(
      store,
      addresses.map((address, i) => ({
        id: `t${i}`,
        at: `2018-10-2${i} 10:00:00`,
        category: 'Graffiti',
        cell: '882b9bc559fffff',
        address,
      })),
    );
    await addHotspot(store, { asOf: '2018-10-29', cell: '882b9bc559fffff', category: 'Graffiti', count: 3, z: 4.9 });
    for (const t of ['orders', 'order_places', 'hotspots'])
      await store.exec(`UPDATE ${t} SET district = NULL, street = NULL`);
    await generateItems(testContext(store, '2018-10-29', { assign: { autoRecipients: true } }), {
      topics: false,
      hotspots: true,
    });
    const title = await store.value<string>(`SELECT title FROM assignments WHERE source = 'hotspot'`);
    expect(title).toMatch(/^Dundas St W一带：Graffiti/);
    expect(title).not.toContain('882b9bc559fffff');
  });

  it("titles an item by the category's stored name, not the text after its last '/'", async () => {
    const name = 'Litter / Bin / Graffiti on Bin';
    await addOrders(
      store,
      [0, 1, 2].map((i) => ({ id: `b${i}`, at: `2018-10-2${i} 10:00:00`, category: name, cell: '882b9bc561fffff' })),
    );
    await store.exec('UPDATE orders SET category_levels = [category], cat1 = category, cat2 = category');
    await addHotspot(store, { asOf: '2018-10-29', cell: '882b9bc561fffff', category: name, count: 3, z: 4.1 });
    await generateItems(testContext(store, '2018-10-29', { assign: { autoRecipients: true } }), {
      topics: false,
      hotspots: true,
    });
    const title = await store.value<string>(`SELECT title FROM assignments WHERE source = 'hotspot'`);
    expect(title).toContain('：Litter / Bin / Graffiti on Bin热点');
  });

  it('clips a Latin text at a word and a Chinese one at the character', () => {
    const latin = clip('INTERSECTION of Foster St & Washington St', 40);
    expect(latin.endsWith('…')).toBe(true);
    expect(latin).toBe('INTERSECTION of Foster St & Washington…');
    expect(clip('幸福路'.repeat(20), 40)).toBe('幸福路'.repeat(13) + '幸…');
  });
});
