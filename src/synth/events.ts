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

/** First day of the last full calendar month before end. */
export function lastFullMonthStart(end: string): string {
  const m = end.slice(0, 7);
  return `${addMonths(m, -1)}-01`;
}

/**
 * Choose the events for [start, end): placed backwards from end inside the last 15 months (compressed for short
 * periods, so a six-month test city still holds every kind).
 */
export function planEvents(
  seed: number,
  city: City,
  cat2s: string[],
  start: string,
  end: string,
  scale: number,
): LiveEvent[] {
  const rng = new Rng(seed).fork('events');
  const span = daysBetween(start, end);
  const W = Math.max(56, Math.min(450, span - 28));
  const used = new Set<string>();
  const available = (prefs: string[], n: number): string[] => {
    const out: string[] = [];
    for (const c of prefs) if (out.length < n && cat2s.includes(c) && !used.has(c)) out.push(c);
    // A city taxonomy without our favourites: take its busiest quiet categories.
    const rest = cat2s
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
  const events: LiveEvent[] = [];
  const urbanStreets = city.streets.filter((s) => s.district.kind === 'urban').sort((a, b) => b.weight - a.weight);
  const bigStreets = urbanStreets.slice(0, 8);

  const abruptCats = available(ABRUPT, 3);
  const abruptStreets = rng.sample(bigStreets, 3);
  [0.73, 0.49, 0.27].forEach((f, i) => {
    const s = clip(addDays(end, -Math.round(W * f) + rng.range(-5, 5)));
    const weeks = W >= 200 ? rng.range(4, 8) : 4;
    const e = clip(addDays(s, weeks * 7));
    const mag = Math.round(rng.uniform(1.6, 2.5) * 100) / 100;
    const street = abruptStreets[i];
    events.push({
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
    });
  });

  const creepCats = available(CREEPING, 2);
  const creepDistricts = rng.sample(
    city.districts.filter((d) => d.kind === 'urban'),
    2,
  );
  [0.62, 0.3].forEach((f, i) => {
    const s = clip(addDays(end, -Math.round(W * f)));
    const weeks = W >= 200 ? 12 : 8;
    const e = clip(addDays(s, weeks * 7));
    const district = creepDistricts[i];
    events.push({
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
    });
  });

  const [cityCat] = available(CITYWIDE, 1);
  const cityStart = clip(addDays(lastFullMonthStart(end), -21));
  events.push({
    cat2: cityCat,
    truth: {
      id: 'citywide-1',
      kind: 'citywide',
      category: cityCat,
      scope: { level: 'city', name: city.name },
      start: cityStart,
      end,
      magnitude: 1.8,
      note: 'city-wide +80% through the last full month',
    },
  });

  const hotCats = available(HOTSPOT, 3);
  const cells = pickHotCells(rng, city, 3);
  const perWeek = Math.max(6, Math.round(25 * scale));
  [0.22, 0.13, 0.08].forEach((f, i) => {
    const s = clip(addDays(end, -Math.max(21, Math.round(W * f))));
    const hot = cells[i];
    events.push({
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
    });
  });

  const [topicCat] = available(NEW_TOPIC, 1);
  const term = rng.pick(NEW_TERMS);
  const tStart = clip(addDays(end, -42));
  const tPerWeek = Math.max(10, Math.round(80 * scale));
  events.push({
    cat2: topicCat,
    truth: {
      id: 'new_topic-1',
      kind: 'new_topic',
      category: topicCat,
      scope: { level: 'city', name: city.name },
      start: tStart,
      end,
      magnitude: tPerWeek,
      term,
      note: `“${term}” appears in content from ${tStart}`,
    },
  });
  return events;
}
