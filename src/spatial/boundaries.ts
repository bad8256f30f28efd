import { existsSync, readFileSync } from 'node:fs';
import { UserError } from '../store/errors.js';

export type Ring = number[][];
/** A polygon as rings (first outer, then holes); a multipolygon is several of them. */
export type PolygonRings = Ring[];

/** One boundary feature of one level, validated. */
export interface Boundary {
  /** Position in the file's feature list (0-based): a stable id, and what error messages name as features[index]. */
  index: number;
  name: string;
  /** Name of the enclosing unit when the feature says so (property district / street / community). */
  parent: string | null;
  polygons: PolygonRings[];
  /** [minLon, minLat, maxLon, maxLat] */
  bbox: [number, number, number, number];
}

const PARENT_PROPERTIES = ['parent'];

/**
 * One line naming the file and the place in it as a JSON path (features[1]（名称）coordinates[0][3]): GeoJSON has no
 * useful line numbers, and a 0-based path is what a person finds in an editor or with jq.
 */
function fail(file: string, where: string, msg: string): never {
  throw new UserError(`边界文件 ${file}：${where}：${msg}`);
}

function checkRing(ring: unknown, file: string, where: string): Ring {
  if (!Array.isArray(ring)) fail(file, where, '环应为由 [经度, 纬度] 组成的数组');
  if (ring.length < 4) fail(file, where, `环至少要有 4 个点（只有 ${ring.length} 个）`);
  for (let k = 0; k < ring.length; k++) {
    const p = ring[k] as unknown;
    if (
      !Array.isArray(p) ||
      p.length < 2 ||
      typeof p[0] !== 'number' ||
      typeof p[1] !== 'number' ||
      !Number.isFinite(p[0]) ||
      !Number.isFinite(p[1])
    )
      fail(file, `${where}[${k}]`, '不是由两个数组成的 [经度, 纬度]');
    if (Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90)
      fail(file, `${where}[${k}]`, `[${p[0]}, ${p[1]}] 不是 WGS-84 经纬度（是投影坐标吗？）`);
  }
  const first = ring[0] as number[];
  const last = ring[ring.length - 1] as number[];
  if (first[0] !== last[0] || first[1] !== last[1])
    fail(file, where, `环没有闭合（首点 [${first[0]}, ${first[1]}] ≠ 末点 [${last[0]}, ${last[1]}]）`);
  return ring as Ring;
}

function checkPolygon(poly: unknown, file: string, where: string): PolygonRings {
  if (!Array.isArray(poly) || poly.length === 0) fail(file, where, '多边形应为非空的环数组');
  return poly.map((r, i) => checkRing(r, file, `${where}[${i}]`));
}

function nameOf(props: Record<string, unknown>, keys: readonly string[]): string | null {
  for (const k of keys) {
    const v = props[k];
    if ((typeof v === 'string' && v.trim() !== '') || typeof v === 'number') return String(v).trim();
  }
  return null;
}

/** Parse and validate a GeoJSON FeatureCollection of (Multi)Polygons; every problem is a UserError naming the file and feature. */
export function parseBoundaries(
  text: string,
  file: string,
  nameProperties: readonly string[],
  parentKeys: readonly string[] = PARENT_PROPERTIES,
): Boundary[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new UserError(`边界文件 ${file}：不是有效的 JSON（${(err as Error).message}）`);
  }
  const fc = doc as { type?: unknown; features?: unknown };
  if (!fc || typeof fc !== 'object' || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features))
    throw new UserError(
      `边界文件 ${file}：不是 GeoJSON FeatureCollection（应为 {"type": "FeatureCollection", "features": [...]}）`,
    );
  if (fc.features.length === 0) throw new UserError(`边界文件 ${file}：features 为空，没有任何边界`);
  const out: Boundary[] = [];
  fc.features.forEach((f: unknown, index: number) => {
    const where = `features[${index}]`;
    const feat = f as {
      type?: unknown;
      geometry?: { type?: unknown; coordinates?: unknown } | null;
      properties?: Record<string, unknown> | null;
    };
    if (!feat || typeof feat !== 'object' || feat.type !== 'Feature') fail(file, where, '不是 GeoJSON Feature');
    const props = feat.properties ?? {};
    const name = nameOf(props, nameProperties);
    if (name === null) fail(file, `${where}.properties`, `没有名称（找过的属性：${nameProperties.join('、')}）`);
    const g = feat.geometry;
    if (!g || typeof g !== 'object') fail(file, `${where}（${name}）`, '没有 geometry');
    let polygons: PolygonRings[];
    if (g.type === 'Polygon') polygons = [checkPolygon(g.coordinates, file, `${where}（${name}）coordinates`)];
    else if (g.type === 'MultiPolygon') {
      if (!Array.isArray(g.coordinates) || g.coordinates.length === 0)
        fail(file, `${where}（${name}）coordinates`, 'MultiPolygon 中没有多边形');
      polygons = (g.coordinates as unknown[]).map((p, i) =>
        checkPolygon(p, file, `${where}（${name}）coordinates[${i}]`),
      );
    } else fail(file, `${where}（${name}）geometry.type`, `${String(g.type)} 不是 Polygon 或 MultiPolygon`);
    const bbox: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const poly of polygons)
      for (const [x, y] of poly[0]) {
        if (x < bbox[0]) bbox[0] = x;
        if (y < bbox[1]) bbox[1] = y;
        if (x > bbox[2]) bbox[2] = x;
        if (y > bbox[3]) bbox[3] = y;
      }
    out.push({
      index,
      name,
      parent: nameOf(
        props,
        parentKeys.filter((k) => !nameProperties.includes(k)),
      ),
      polygons,
      bbox,
    });
  });
  return out;
}

export function loadBoundaries(file: string, nameProperties: readonly string[]): Boundary[] {
  if (!existsSync(file)) throw new UserError(`找不到边界文件：${file}`);
  return parseBoundaries(readFileSync(file, 'utf8'), file, nameProperties);
}
