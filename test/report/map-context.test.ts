import { describe, expect, it } from 'vitest';
import { mapSpec, type Feature } from '../../src/report/map.js';
import type { HotCell } from '../../src/report/data.js';

/**
 * A map of one hot cell in a city without boundaries (Konstanz Mängelmelder, report of 2022-11): the projection was
 * fitted to that one hexagon, which then filled the whole 620 × 440 map — an orange blob that tells a leader nothing,
 * not even its size. Without boundaries the hot cells are drawn among their neighbours (three rings of grey cells,
 * about 5 km across), as the phone page does; with boundaries the map is unchanged.
 */
const hot = (cell: string): HotCell =>
  ({
    cell,
    lon: 9.17,
    lat: 47.67,
    category: '（综合）',
    count: 8,
    all_count: 8,
    z: 5.1,
    kind: 'persistent',
    kinds: 'persistent',
    street: null,
    as_of: '2022-11-01',
    window_start: '2022-10-04',
  }) as HotCell;

interface Layer {
  data?: { values?: { features?: Feature[] } };
  mark?: { type?: string };
  encoding?: unknown;
}

describe('hotspot map without boundaries', () => {
  it('draws the hot cell among its neighbours', () => {
    const spec = mapSpec([], [], [hot('881f8e8107fffff')]) as unknown as { layer: Layer[] };
    const shapes = spec.layer.filter((l) => l.mark?.type === 'geoshape');
    expect(shapes.length).toBe(2);
    const context = shapes[0].data?.values?.features ?? [];
    expect(context.length).toBeGreaterThanOrEqual(30);
    expect(context.some((f) => f.properties.cell === '881f8e8107fffff')).toBe(false);
    expect(shapes[0].encoding).toBeUndefined();
  });

  it('adds nothing when district boundaries are drawn', () => {
    const district: Feature = {
      type: 'Feature',
      properties: { name: 'Altstadt' },
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [9.16, 47.66],
            [9.18, 47.66],
            [9.18, 47.68],
            [9.16, 47.68],
            [9.16, 47.66],
          ],
        ],
      },
    };
    const spec = mapSpec([district], [], [hot('881f8e8107fffff')]) as unknown as { layer: Layer[] };
    expect(spec.layer.filter((l) => l.mark?.type === 'geoshape')).toHaveLength(2);
  });
});
