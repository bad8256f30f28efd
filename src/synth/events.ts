import { addDays, addMonths, daysBetween } from '../store/dates.js';
import { categoryProfile } from './categories.js';
import { pickHotCells, type City, type District, type HotCell, type Street } from './geography.js';
import { Rng } from './random.js';
import { NEW_TERMS } from './text.js';
import type { PlantedEvent } from './truth.js';

/** A planted event plus what the generator needs to produce its orders. */
export interface LiveEvent {
  truth: PlantedEvent;
  cat2: string;
  /** Level-3 events: the one leaf every extra order carries (truth.leaf). */
  leaf?: string;
  street?: Street;
  district?: District;
  hot?: HotCell;
}

// Preferred categories per kind: busy, not seasonal, distinct across kinds (no two events share a category, so
// no two share a category×scope).
const ABRUPT = ['城乡建设/物业管理', '公用事业/供水', '城市管理/市容环境', '公用事业/供电', '交通运输/道路设施'];
const CREEPING = ['住房保障/房屋租赁', '社会保障/医疗保障', '城乡建设/违章建筑', '交通运输/公共交通'];
const CITYWIDE = ['交通运输/停车管理', '劳动权益/拖欠工资'];
const HOTSPOT = ['城市管理/占道经营', '公共安全/消防安全', '生态环境/固废污染', '城市管理/路灯照明'];
const NEW_TOPIC = ['市场监管/消费维权', '市场监管/价格监管'];
// Level-3 events (a rise that lives in one 小类): busy level-2 categories the others do not use
const LEVEL3 = ['社会保障/社会保险', '劳动权益/拖欠工资', '公用事业/燃气'];

/** First day of the last full calendar month before end. */
export function lastFullMonthStart(end: string): string {
  const m = end.slice(0, 7);
  return `${addMonths(m, -1)}-01`;
}

/** What every kind's planner shares: the period, the city and the categories still free. */
interface PlanContext {
  rng: Rng;
  city: City;
  start: string;
  end: string;
  /** Days before end inside which events are placed. */
  W: number;
  /** The date, moved inside [start, end]. */
  clip: (d: string) => string;
  /** Up to n unused categories of pool: the preferred ones first, then the busiest quiet ones; marks them used. */
  available: (prefs: string[], n: number, pool?: string[]) => string[];
}

function planContext(seed: number, city: City, cat2s: string[], start: string, end: string): PlanContext {
  const rng = new Rng(seed).fork('events');
  const span = daysBetween(start, end);
  const W = Math.max(56, Math.min(450, span - 28));
  const used = new Set<string>();
  const available = (prefs: string[], n: number, pool: string[] = cat2s): string[] => {
    const out: string[] = [];
    for (const c of prefs) if (out.length < n && pool.includes(c) && !used.has(c)) out.push(c);
    // A city taxonomy without our favourites: take its busiest quiet categories.
    const rest = pool
      .filter(
        (c) =>
          !used.has(c) && !out.includes(c) && categoryProfile(c).season === 'none' && !categoryProfile(c).outOfScope,
      )
      .sort((a, b) => categoryProfile(b).share - categoryProfile(a).share || a.localeCompare(b));
    while (out.length < n && rest.length) out.push(rest.shift()!);
    out.forEach((c) => used.add(c));
    return out;
  };
  const clip = (d: string) => (d < start ? start : d > end ? end : d);
  return { rng, city, start, end, W, clip, available };
}

function planAbrupt(ctx: PlanContext): LiveEvent[] {
  const { rng, city, end, W, clip } = ctx;
  const urbanStreets = city.streets.filter((s) => s.district.kind === 'urban').sort((a, b) => b.weight - a.weight);
  const bigStreets = urbanStreets.slice(0, 8);
  const abruptCats = ctx.available(ABRUPT, 3);
  const abruptStreets = rng.sample(bigStreets, 3);
  return [0.73, 0.49, 0.27].map((f, i) => {
    const s = clip(addDays(end, -Math.round(W * f) + rng.range(-5, 5)));
    const weeks = W >= 200 ? rng.range(4, 8) : 4;
    const e = clip(addDays(s, weeks * 7));
    const mag = Math.round(rng.uniform(1.6, 2.5) * 100) / 100;
    const street = abruptStreets[i];
    return {
      cat2: abruptCats[i],
      street,
      truth: {
        id: `abrupt-${i + 1}`,
        kind: 'abrupt',
        category: abruptCats[i],
        scope: { level: 'street', name: street.name },
        start: s,
        end: e,
        magnitude: mag,
        note: `${street.district.name}${street.name}: +${Math.round((mag - 1) * 100)}% for ${weeks} weeks`,
      },
    };
  });
}

function planCreeping(ctx: PlanContext): LiveEvent[] {
  const { rng, city, end, W, clip } = ctx;
  const creepCats = ctx.available(CREEPING, 2);
  const creepDistricts = rng.sample(
    city.districts.filter((d) => d.kind === 'urban'),
    2,
  );
  return [0.62, 0.3].map((f, i) => {
    const s = clip(addDays(end, -Math.round(W * f)));
    const weeks = W >= 200 ? 12 : 8;
    const e = clip(addDays(s, weeks * 7));
    const district = creepDistricts[i];
    return {
      cat2: creepCats[i],
      district,
      truth: {
        id: `creeping-${i + 1}`,
        kind: 'creeping',
        category: creepCats[i],
        scope: { level: 'district', name: district.name },
        start: s,
        end: e,
        magnitude: 0.05,
        note: `${district.name}: +5%/week compounding for ${Math.round(daysBetween(s, e) / 7)} weeks`,
      },
    };
  });
}

function planCitywide(ctx: PlanContext): LiveEvent {
  const [cityCat] = ctx.available(CITYWIDE, 1);
  const cityStart = ctx.clip(addDays(lastFullMonthStart(ctx.end), -21));
  return {
    cat2: cityCat,
    truth: {
      id: 'citywide-1',
      kind: 'citywide',
      category: cityCat,
      scope: { level: 'city', name: ctx.city.name },
      start: cityStart,
      end: ctx.end,
      magnitude: 1.8,
      note: 'city-wide +80% through the last full month',
    },
  };
}

function planHotspots(ctx: PlanContext, scale: number): LiveEvent[] {
  const { rng, city, end, W, clip } = ctx;
  const hotCats = ctx.available(HOTSPOT, 3);
  const cells = pickHotCells(rng, city, 3);
  const perWeek = Math.max(6, Math.round(25 * scale));
  return [0.22, 0.13, 0.08].map((f, i) => {
    const s = clip(addDays(end, -Math.max(21, Math.round(W * f))));
    const hot = cells[i];
    return {
      cat2: hotCats[i],
      hot,
      street: hot.street,
      truth: {
        id: `hotspot-${i + 1}`,
        kind: 'hotspot',
        category: hotCats[i],
        scope: { level: 'street', name: hot.street.name },
        cells: [hot.cell],
        start: s,
        end,
        magnitude: perWeek,
        note: `${perWeek} extra orders/week in H3 cell ${hot.cell}`,
      },
    };
  });
}

function planNewTopic(ctx: PlanContext, scale: number): LiveEvent {
  const [topicCat] = ctx.available(NEW_TOPIC, 1);
  const term = ctx.rng.pick(NEW_TERMS);
  const tStart = ctx.clip(addDays(ctx.end, -42));
  const tPerWeek = Math.max(10, Math.round(80 * scale));
  return {
    cat2: topicCat,
    truth: {
      id: 'new_topic-1',
      kind: 'new_topic',
      category: topicCat,
      scope: { level: 'city', name: ctx.city.name },
      start: tStart,
      end: ctx.end,
      magnitude: tPerWeek,
      term,
      note: `“${term}” appears in content from ${tStart}`,
    },
  };
}

/**
 * Rises that live in one level-3 category (小类), whatever the taxonomy: an abrupt rise and a creep doubling over
 * 10 weeks in one district, and a hotspot of one 小类 in one H3 cell. They draw from their own random stream, so the
 * events above (and a city without a third level, which gets none of these) are the same as before they existed.
 */
function planLevel3(seed: number, ctx: PlanContext, leaves: string[], hot: Street[], scale: number): LiveEvent[] {
  const { city, end, W, clip } = ctx;
  const byCat2 = new Map<string, string[]>();
  for (const leaf of leaves) {
    const parts = leaf.split('/');
    if (parts.length < 3) continue;
    const k = parts.slice(0, 2).join('/');
    byCat2.set(k, [...(byCat2.get(k) ?? []), leaf]);
  }
  const cats = ctx.available(LEVEL3, 3, [...byCat2.keys()]);
  if (cats.length < 3) return [];
  const rng = new Rng(seed).fork('events-level3');
  const leafOf = (cat2: string) => rng.pick(byCat2.get(cat2)!);
  // the busiest urban districts: a 小类 in one district is a few dozen orders a week at full scale
  const districts = city.districts.filter((d) => d.kind === 'urban').sort((a, b) => b.weight - a.weight);
  const long = W >= 200;
  const out: LiveEvent[] = [];
  const aLeaf = leafOf(cats[0]);
  const aDistrict = rng.pick(districts.slice(0, 3));
  const aStart = clip(addDays(end, -Math.round(W * 0.4) + rng.range(-5, 5)));
  const aMag = Math.round(rng.uniform(1.6, 2.0) * 100) / 100;
  const aWeeks = long ? 6 : 4;
  out.push(level3Event(cats[0], aLeaf, 'abrupt', aDistrict, aStart, clip(addDays(aStart, aWeeks * 7)), aMag));
  out[0].truth.note = `${aDistrict.name}「${aLeaf}」: +${Math.round((aMag - 1) * 100)}% for ${aWeeks} weeks`;
  const cLeaf = leafOf(cats[1]);
  const cDistrict = districts[0];
  const cStart = clip(addDays(end, -Math.round(W * (long ? 0.25 : 0.6))));
  const cWeeks = long ? 10 : 6;
  // ×2 over 10 weeks: 1.072^10 = 2.0
  out.push(level3Event(cats[1], cLeaf, 'creeping', cDistrict, cStart, clip(addDays(cStart, cWeeks * 7)), 0.072));
  out[1].truth.note = `${cDistrict.name}「${cLeaf}」: +7.2%/week compounding for ${cWeeks} weeks (×2 in 10)`;
  const [cell] = pickHotCells(rng, city, 1, hot);
  const hStart = clip(addDays(end, -Math.max(21, Math.round(W * 0.1))));
  const perWeek = Math.max(6, Math.round(25 * scale));
  const hLeaf = leafOf(cats[2]);
  out.push({
    cat2: cats[2],
    leaf: hLeaf,
    hot: cell,
    street: cell.street,
    truth: {
      id: 'hotspot-l3-1',
      kind: 'hotspot',
      category: cats[2],
      leaf: hLeaf,
      scope: { level: 'street', name: cell.street.name },
      cells: [cell.cell],
      start: hStart,
      end,
      magnitude: perWeek,
      note: `${perWeek} extra orders/week of「${hLeaf}」in H3 cell ${cell.cell}`,
    },
  });
  return out;
}

function level3Event(
  cat2: string,
  leaf: string,
  kind: 'abrupt' | 'creeping',
  district: District,
  start: string,
  end: string,
  magnitude: number,
): LiveEvent {
  return {
    cat2,
    leaf,
    district,
    truth: {
      id: `${kind}-l3-1`,
      kind,
      category: cat2,
      leaf,
      scope: { level: 'district', name: district.name },
      start,
      end,
      magnitude,
    },
  };
}

/**
 * Choose the events for [start, end): placed backwards from end inside the last 15 months (compressed for short
 * periods, so a six-month test city still holds every kind). `leaves` (full paths) add the level-3 events.
 */
export function planEvents(
  seed: number,
  city: City,
  cat2s: string[],
  start: string,
  end: string,
  scale: number,
  leaves: string[] = [],
): LiveEvent[] {
  const ctx = planContext(seed, city, cat2s, start, end);
  // the order of the planners is the order of their random draws: keep it
  const events: LiveEvent[] = [...planAbrupt(ctx), ...planCreeping(ctx), planCitywide(ctx)];
  const hot = planHotspots(ctx, scale);
  events.push(...hot, planNewTopic(ctx, scale));
  events.push(
    ...planLevel3(
      seed,
      ctx,
      leaves,
      hot.map((e) => e.street!),
      scale,
    ),
  );
  return events;
}
