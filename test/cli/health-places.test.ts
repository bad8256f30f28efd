import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { placesHealth, placesLines } from '../../src/cli/placeholder-health.js';
import type { PlaceholderPoint, PlaceQuality } from '../../src/spatial/stage.js';
import { Store } from '../../src/store/db.js';
import { todayLocal } from '../../src/store/dates.js';
import { runCli, tempDir } from '../helpers.js';

const CITY_HALL: PlaceholderPoint = {
  lon: -71.0587,
  lat: 42.3594,
  reason: 'shared',
  orders: 17065,
  share: 0.1409,
  names: 23,
  top_name: 'Boston',
  top_share: 0.168,
};

function quality(orders: number, placeholder: number, missing: number): PlaceQuality {
  return {
    orders,
    match_point: orders - placeholder - missing,
    match_name: placeholder,
    match_none: missing,
    no_street: 0,
    coords_outside: 0,
    coords_missing: missing,
    coords_invalid: 0,
    coords_placeholder: placeholder,
    with_cell: orders - placeholder - missing,
    placeholder_points: [],
  };
}

describe('placeholder points in health', () => {
  it('names each point with its orders and share, and fails only above the share limit', () => {
    const h = placesHealth(quality(121129, 17065, 0), [CITY_HALL], 0.5);
    expect(h).toMatchObject({ ok: true, placeholder_point_count: 1, coords_placeholder: 17065, problem: null });
    expect(h.share_placeholder).toBeCloseTo(0.1409, 4);
    expect(h.warnings).toEqual([
      '坐标 42.3594,-71.0587 上有 17,065 件（占有坐标工单的14.1%）来自 23 个不同的区（或街道），视为无坐标（地理编码默认点）',
    ]);
    // the share counts only orders with coordinates: 60 of 100 located orders is most of them
    const most = placesHealth(quality(200, 60, 100), [{ ...CITY_HALL, orders: 60, share: 0.6 }], 0.5);
    expect(most.ok).toBe(false);
    expect(most.problem).toContain('60.0%');
    expect(placesLines(most)[0]).toMatch(/^异常 places/);
    // far outside the city: no names, a different reason
    const far = placesHealth(
      quality(100, 5, 0),
      [{ ...CITY_HALL, reason: 'outside_box', names: null, orders: 5 }],
      0.5,
    );
    expect(far.warnings[0]).toContain('远在其余工单所在范围之外');
  });

  it('says when there are none, and counts the points it does not list', () => {
    expect(placesLines(placesHealth(quality(10, 0, 0), [], 0.5))).toEqual(['正常 places   没有发现地理编码默认点']);
    const many = Array.from({ length: 12 }, (_, i) => ({ ...CITY_HALL, lon: CITY_HALL.lon + i / 100 }));
    const lines = placesLines(placesHealth(quality(1000, 100, 0), many, 0.5));
    expect(lines).toHaveLength(1 + 10 + 1);
    expect(lines.at(-1)).toContain('另有 2 个');
  });

  it('weisu health warns about them without failing, and fails past --max-placeholder-share', async () => {
    const t = tempDir('weisu-health-places-');
    try {
      const db = join(t.dir, 'h.duckdb');
      const today = todayLocal();
      const s = await Store.open(db);
      for (const p of ['nightly', 'weekly', 'monthly'])
        await s.exec(
          "INSERT INTO runs (run_id, pipeline, as_of, started_at, ended_at, status) VALUES ($id, $p, $d::DATE, current_localtimestamp() - INTERVAL 1 HOUR, current_localtimestamp(), 'ok')",
          { id: p + '-ok', p, d: today },
        );
      await s.exec(
        "INSERT INTO daily_counts VALUES ($d::DATE - 1, '城市管理', '城市管理/市容环境', '东区', '甲街道', 40, 0, 0, 0, 0)",
        { d: today },
      );
      // 70 orders placed by their point, 30 at a geocoder default, 10 without coordinates
      await s.exec(
        `INSERT INTO order_places (order_id, cell, district, match, coord_status, seq)
         SELECT 'O' || i, CASE WHEN i < 70 THEN 'c' END, '东区',
                CASE WHEN i < 70 THEN 'point' ELSE 'name' END,
                CASE WHEN i < 70 THEN 'inside' WHEN i < 100 THEN 'placeholder' ELSE 'missing' END, i
         FROM range(110) r(i)`,
      );
      await s.exec(
        "INSERT INTO place_placeholders (lon, lat, reason, orders, share, names, top_name, top_share) VALUES (-71.0587, 42.3594, 'shared', 30, 0.3, 4, '东区', 0.3)",
      );
      s.close();

      const json = runCli(['--db', db, '--json', 'health']);
      expect(json.code, json.stdout + json.stderr).toBe(0);
      const doc = JSON.parse(json.stdout) as { ok: boolean; places: Record<string, unknown> };
      expect(doc.ok).toBe(true);
      expect(doc.places).toMatchObject({
        ok: true,
        placeholder_point_count: 1,
        coords_placeholder: 30,
        orders_with_coords: 100,
        share_placeholder: 0.3,
      });

      const text = runCli(['--db', db, 'health']);
      expect(text.code).toBe(0);
      expect(text.stdout).toContain(
        '提示 places   坐标 42.3594,-71.0587 上有 30 件（占有坐标工单的30.0%）来自 4 个不同的区（或街道），视为无坐标（地理编码默认点）',
      );

      const strict = runCli(['--db', db, 'health', '--max-placeholder-share', '0.2']);
      expect(strict.code).toBe(1);
      expect(strict.stderr.trim().split('\n')).toHaveLength(1);
      expect(strict.stderr).toContain('places: 地理编码默认点上的工单占有坐标工单的30.0%（超过20.0%）');
      expect(runCli(['--db', db, 'health', '--max-placeholder-share', '2']).code).not.toBe(0);
    } finally {
      t.cleanup();
    }
  }, 60_000);
});
