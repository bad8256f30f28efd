import { daysBetween } from '../store/dates.js';
import { WEEKDAY, seasonNorms, seasonRaw, springFestivalFactor, type Calendar, type DayInfo } from './calendar.js';
import { ROOT_CAUSES, categoryProfile, repeatRate, type CategoryProfile, type RootCause } from './categories.js';
import { placeInCell, placeInCommunity, type City, type Community, type Grid } from './geography.js';
import { round6, type Pt } from './geometry.js';
import type { LiveEvent } from './events.js';
import { UNKNOWN_DISTRICTS, UNKNOWN_STREETS } from './names.js';
import { mobile } from './people.js';
import { Alias, Rng } from './random.js';
import { composeContent } from './text.js';

/** One generated order: the canonical columns the order files carry (caller_phone raw), plus its truth. */
export interface OrderRow {
  order_id: string;
  created_at: string;
  category: string;
  content: string;
  district: string | null;
  street: string | null;
  community: string | null;
  address: string | null;
  lon: number | null;
  lat: number | null;
  caller_phone: string;
  channel: string;
  order_type: string;
  dept: string;
  closed_at: string | null;
  satisfaction: string | null;
  resolved: boolean | null;
  dispatch_count: number;
  reopened: boolean;
  // truth (never in the order files)
  true_root_causes: RootCause[];
  event_id: string | null;
  repeat_of: string | null;
  repeat_kind: string | null;
  out_of_scope: boolean;
}

export interface GenerateOptions {
  seed: number;
  scale: number;
  baseDaily: number;
  yearlyGrowth: number;
  start: string;
  end: string;
  /** Taxonomy leaves 'l1/l2/l3'. */
  leaves: string[];
  units: Record<string, { lead: string; co: string[] }>;
}

interface CatState {
  cat2: string;
  profile: CategoryProfile;
  leaves: string[];
  leafAlias: Alias;
  /** Each leaf's share of the category's orders (what a level-3 event's rate is a multiple of). */
  leafShare: Map<string, number>;
  streetAlias: Alias;
  /** Street weights with the category's urban/rural tilt, for district-level events. */
  streetWeights: number[];
  /** Fraction of the category's volume in each district (by district name). */
  districtShare: Map<string, number>;
  streetShare: number[];
  rate: number;
  repeat: number;
  /** Orders of the last days, for repeats (ring of recent orders). */
  recent: RecentOrder[];
}

interface RecentOrder {
  id: string;
  day: number;
  closedAtMs: number | null;
  phone: string;
  community: Community;
  grid: Grid;
  pt: Pt;
  address: string;
  place: string;
  category: string;
  causes: RootCause[];
  eventId: string | null;
}

interface Pending {
  cs: CatState;
  second: number;
  street?: number;
  district?: string;
  event?: LiveEvent;
}

/** The generator's random streams: level-3 event orders draw from their own, so every other order stays as it was. */
interface Streams {
  main: Rng;
  level3: Rng;
}

const HOURS = [
  0.3, 0.2, 0.15, 0.1, 0.1, 0.2, 0.5, 1.5, 3.5, 5, 5.2, 4.5, 3, 3.2, 4.2, 4.5, 4.2, 3.5, 2.5, 2.2, 2, 1.6, 1.0, 0.6,
];
const HOUR_ALIAS = new Alias(HOURS);
const CHANNELS = ['电话', '微信', '网站', 'APP', '市长信箱'];
const CHANNEL_W = [70, 12, 6, 10, 2];
const ORDER_TYPES = ['投诉', '求助', '咨询', '建议', '举报'];
const INQUIRY = /咨询|政策|申请|预约|办理|补贴/;
const inquiryCache = new Map<string, boolean>();
function isInquiry(category: string): boolean {
  let v = inquiryCache.get(category);
  if (v === undefined) inquiryCache.set(category, (v = INQUIRY.test(category.split('/')[2] ?? '')));
  return v;
}

const endCache = new Map<string, number>();
function endMs(end: string): number {
  let v = endCache.get(end);
  if (v === undefined) endCache.set(end, (v = Date.parse(end + 'T00:00:00Z')));
  return v;
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

const P2 = Array.from({ length: 60 }, (_v, i) => pad(i));

function stamp(date: string, second: number): string {
  const h = (second / 3600) | 0;
  const m = ((second % 3600) / 60) | 0;
  return date + ' ' + P2[h] + ':' + P2[m] + ':' + P2[second % 60];
}

const dateCache = new Map<number, string>();
/** 'YYYY-MM-DD HH:MM:SS' of a UTC-epoch millisecond count (local wall-clock time is stored as if UTC). */
function stampMs(ms: number): string {
  const dayNo = Math.floor(ms / 86_400_000);
  let date = dateCache.get(dayNo);
  if (date === undefined) dateCache.set(dayNo, (date = new Date(dayNo * 86_400_000).toISOString().slice(0, 10)));
  return stamp(date, Math.floor((ms - dayNo * 86_400_000) / 1000));
}

/**
 * Generate every order of [start, end), day by day, handing each to `emit` in created_at order. The expected count
 * of a category on a day is base × share × season × weekday × Spring Festival × growth, times any planted event;
 * actual counts are Poisson draws around it.
 */
/** Each level-2 category's state: its rate, leaves, where it happens, and its recent orders. */
function categoryStates(opts: GenerateOptions, city: City): CatState[] {
  const setup = new Rng(opts.seed).fork('categories');
  const norms = seasonNorms(opts.seed);
  const byCat2 = new Map<string, string[]>();
  for (const leaf of opts.leaves) {
    const [a, b] = leaf.split('/');
    const k = `${a}/${b}`;
    byCat2.set(k, [...(byCat2.get(k) ?? []), leaf]);
  }
  const cat2s = [...byCat2.keys()];
  const totalShare = cat2s.reduce((a, c) => a + categoryProfile(c).share, 0);
  return cat2s.map((cat2) => {
    const profile = categoryProfile(cat2);
    const leaves = byCat2.get(cat2)!;
    const streetWeights = city.streets.map((s) => {
      const village = s.communities.every((c) => c.isVillage);
      return s.weight * tiltOf(profile, s.district.kind, village);
    });
    const sum = streetWeights.reduce((a, b) => a + b, 0);
    const districtShare = new Map<string, number>();
    city.streets.forEach((s, i) =>
      districtShare.set(s.district.name, (districtShare.get(s.district.name) ?? 0) + streetWeights[i] / sum),
    );
    const leafWeights = leaves.map(() => 0.5 + setup.next());
    const leafSum = leafWeights.reduce((a, b) => a + b, 0);
    return {
      cat2,
      profile,
      leaves,
      leafAlias: new Alias(leafWeights),
      leafShare: new Map(leaves.map((l, i) => [l, leafWeights[i] / leafSum])),
      streetAlias: new Alias(streetWeights),
      streetWeights,
      districtShare,
      streetShare: streetWeights.map((w) => w / sum),
      rate: (opts.baseDaily * opts.scale * profile.share) / totalShare / norms[profile.season],
      repeat: repeatRate(profile),
      recent: [],
    };
  });
}

/** How much more (or less) often a category happens in a street of this kind than its weight says. */
function tiltOf(profile: CategoryProfile, kind: string, village: boolean): number {
  if (profile.tilt === 'rural') return village ? 8 : kind === 'urban' ? 0.05 : 0.5;
  if (profile.tilt === 'urban') return village ? 0.35 : kind === 'urban' ? 1.25 : 1;
  return 1;
}

/**
 * The extra orders one planted event adds to a category on a day, on top of its baseline `base` (expected orders of
 * the whole category city-wide). A level-3 event multiplies only its leaf's part of the baseline.
 */
function eventOrders(ev: LiveEvent, cs: CatState, base: number, day: DayInfo, r: Rng, second: () => number): Pending[] {
  const out: Pending[] = [];
  const leafBase = base * (ev.leaf ? (cs.leafShare.get(ev.leaf) ?? 0) : 1);
  let k = 0;
  let where: { street?: number; district?: string } = {};
  if (ev.truth.kind === 'citywide') k = r.poisson(leafBase * (ev.truth.magnitude - 1));
  else if (ev.truth.kind === 'abrupt' && ev.street) {
    k = r.poisson(leafBase * cs.streetShare[ev.street.index] * (ev.truth.magnitude - 1));
    where = { street: ev.street.index };
  } else if ((ev.truth.kind === 'creeping' || ev.truth.kind === 'abrupt') && ev.district) {
    const weeks = daysBetween(ev.truth.start, day.date) / 7;
    const extra = ev.truth.kind === 'abrupt' ? ev.truth.magnitude - 1 : Math.pow(1 + ev.truth.magnitude, weeks) - 1;
    k = r.poisson(leafBase * (cs.districtShare.get(ev.district.name) ?? 0) * extra);
    where = { district: ev.district.name };
  } else if (ev.truth.kind === 'hotspot' || ev.truth.kind === 'new_topic') {
    k = r.poisson((ev.truth.magnitude / 7) * WEEKDAY[day.dow]);
  }
  for (let i = 0; i < k; i++) out.push({ cs, second: second(), ...where, event: ev });
  return out;
}

/** One day's orders before they are made: baseline draws per category, then each active event's extra orders. */
function dayPending(cats: CatState[], events: LiveEvent[], day: DayInfo, common: number, rs: Streams): Pending[] {
  const pending: Pending[] = [];
  const second = (r: Rng) => () => HOUR_ALIAS.draw(r) * 3600 + r.int(3600);
  const mainSecond = second(rs.main);
  const level3Second = second(rs.level3);
  for (const cs of cats) {
    const lambda = cs.rate * seasonRaw(cs.profile.season, day) * common;
    const n = rs.main.poisson(lambda);
    for (let i = 0; i < n; i++) pending.push({ cs, second: mainSecond() });
    // Street- and district-level events add orders in their scope on top of the baseline.
    for (const ev of events) {
      if (ev.cat2 !== cs.cat2 || day.date < ev.truth.start || day.date >= ev.truth.end) continue;
      const base = cs.rate * seasonRaw(cs.profile.season, day) * common;
      pending.push(
        ...eventOrders(ev, cs, base, day, ev.leaf ? rs.level3 : rs.main, ev.leaf ? level3Second : mainSecond),
      );
    }
  }
  return pending;
}

/**
 * Generate every order of [start, end), day by day, handing each to `emit` in created_at order. The expected count
 * of a category on a day is base × share × season × weekday × Spring Festival × growth, times any planted event;
 * actual counts are Poisson draws around it.
 */
export async function generateOrders(
  opts: GenerateOptions,
  city: City,
  cal: Calendar,
  events: LiveEvent[],
  emit: (row: OrderRow) => void,
  hooks: { progress?: (done: number, total: number) => void; yearDone?: (year: number) => void } = {},
): Promise<number> {
  const rs: Streams = { main: new Rng(opts.seed).fork('orders'), level3: new Rng(opts.seed).fork('orders-level3') };
  const cats = categoryStates(opts, city);
  const channelAlias = new Alias(CHANNEL_W);
  let count = 0;

  for (let di = 0; di < cal.days.length; di++) {
    const day = cal.days[di];
    const years = daysBetween(opts.start, day.date) / 365.25;
    const common = WEEKDAY[day.dow] * springFestivalFactor(day) * Math.pow(1 + opts.yearlyGrowth, years);
    const pending = dayPending(cats, events, day, common, rs);
    // Stable order by time of day (ties keep generation order) so ids rise with created_at.
    const order = pending.map((_p, i) => i).sort((a, b) => pending[a].second - pending[b].second || a - b);
    const ymd = day.date.replaceAll('-', '');
    const dayMs = Date.parse(day.date + 'T00:00:00Z');
    order.forEach((pi, seq) => {
      const p = pending[pi];
      const r = p.event?.leaf ? rs.level3 : rs.main;
      emit(makeOrder(r, opts, city, { day, dayIndex: di, dayMs }, p, `GD${ymd}-${pad(seq + 1, 6)}`, channelAlias));
      count++;
    });
    // Forget orders older than a week: repeats come within days.
    for (const cs of cats) {
      let drop = 0;
      while (drop < cs.recent.length && cs.recent[drop].day < di - 7) drop++;
      if (drop) cs.recent.splice(0, drop);
    }
    hooks.progress?.(di + 1, cal.days.length);
    if (di + 1 === cal.days.length || cal.days[di + 1].year !== day.year) {
      hooks.yearDone?.(day.year);
      // Let the event loop run, so work started in yearDone (DuckDB writing that year's Parquet) proceeds beside us.
      await new Promise((r) => setImmediate(r));
    }
  }
  return count;
}

function pickCauses(rng: Rng, p: CategoryProfile): RootCause[] {
  const first = ROOT_CAUSES[rng.weighted(p.causes)];
  if (first === '其他') return [first];
  if (rng.chance(0.18)) {
    const w = p.causes.map((x, i) => (ROOT_CAUSES[i] === first || ROOT_CAUSES[i] === '其他' ? 0 : x + 2));
    return [first, ROOT_CAUSES[rng.weighted(w)]];
  }
  return [first];
}

function addressFor(rng: Rng, c: Community): { address: string; place: string } {
  const roads = c.street.roads;
  if (c.isVillage) {
    const a = `${c.name}${rng.range(1, 300)}号`;
    return { address: a, place: rng.chance(0.5) ? c.name : a };
  }
  const r = rng.next();
  if (r < 0.6) {
    const b = rng.range(1, 40);
    const u = rng.range(1, 6);
    const estate = c.estate;
    return { address: estate + b + '号楼' + u + '单元', place: estate + b + '号楼' };
  }
  if (r < 0.85) {
    const a = `${rng.pick(roads)}${rng.range(1, 400)}号`;
    return { address: a, place: `${a}附近` };
  }
  const [x, y] = rng.sample(roads, 2);
  return { address: `${x}与${y}交口`, place: `${x}与${y}交口` };
}

function deptFor(rng: Rng, units: GenerateOptions['units'], cat2: string, c: Community): string {
  const u = units[cat2] ?? units[cat2.split('/')[0]];
  if (!u) return `${c.street.district.name}人民政府`;
  const name = rng.chance(0.7) || u.co.length === 0 ? u.lead : rng.pick(u.co);
  if (name === '街道办事处') return c.isVillage ? `${c.street.name}人民政府` : `${c.street.name}办事处`;
  if (name === '区政府') return `${c.street.district.name}人民政府`;
  if (name === '社区居委会') return `${c.name}居委会`;
  if (name.startsWith('区')) return c.street.district.name + name.slice(1);
  return name;
}

/** Where an order happens and what it is about: a repeat copies an earlier order's, a new one is drawn. */
interface OrderPlace {
  repeatOf?: RecentOrder;
  repeatKind?: 'caller' | 'caller_after_close' | 'place';
  eventId: string | null;
  community: Community;
  grid: Grid;
  pt: Pt;
  category: string;
  causes: RootCause[];
  address: string;
  place: string;
}

/** The day an order is made on. */
interface DayRef {
  day: DayInfo;
  dayIndex: number;
  dayMs: number;
}

// Baseline orders may be repeats of a recent order of the same category (the caller, or a neighbour, again).
function drawRepeat(rng: Rng, p: Pending, dayIndex: number, createdMs: number): OrderPlace | null {
  const cs = p.cs;
  if (p.event || !cs.recent.length || !rng.chance(cs.repeat)) return null;
  const cand = cs.recent[rng.int(cs.recent.length)];
  if (cand.day >= dayIndex) return null;
  const repeatKind = rng.chance(0.3)
    ? 'place'
    : cand.closedAtMs !== null && cand.closedAtMs < createdMs
      ? 'caller_after_close'
      : 'caller';
  let causes = cand.causes.slice();
  if (repeatKind === 'caller_after_close' && !causes.includes('服务落实不到位'))
    causes = causes.filter((c) => c !== '其他').concat('服务落实不到位');
  const { community, grid, pt, category, address, place } = cand;
  return { repeatOf: cand, repeatKind, eventId: cand.eventId, community, grid, pt, category, causes, address, place };
}

function drawNewPlace(rng: Rng, city: City, p: Pending): OrderPlace {
  const cs = p.cs;
  let community: Community;
  let grid: Grid;
  let pt: Pt;
  if (p.event?.hot) {
    ({ grid, pt } = placeInCell(rng, city, p.event.hot));
    community = grid.community;
  } else {
    let streetIdx: number;
    if (p.street !== undefined) streetIdx = p.street;
    else if (p.district !== undefined) {
      const idxs = city.streets.map((s, i) => (s.district.name === p.district ? i : -1)).filter((i) => i >= 0);
      streetIdx = idxs[rng.weighted(idxs.map((i) => cs.streetWeights[i]))];
    } else streetIdx = cs.streetAlias.draw(rng);
    const street = city.streets[streetIdx];
    community = street.communities[street.communityAlias.draw(rng)];
    ({ grid, pt } = placeInCommunity(rng, community));
  }
  // a level-3 event's orders all carry its leaf
  const category = p.event?.leaf ?? cs.leaves[cs.leafAlias.draw(rng)];
  const causes = pickCauses(rng, cs.profile);
  const { address, place } = addressFor(rng, community);
  return { eventId: p.event?.truth.id ?? null, community, grid, pt, category, causes, address, place };
}

/** How the order was handled: dispatches, when it closed, how the caller rated it. */
function handling(
  rng: Rng,
  opts: GenerateOptions,
  causes: RootCause[],
  repeat: boolean,
  createdMs: number,
): Pick<OrderRow, 'dispatch_count' | 'closed_at' | 'satisfaction' | 'resolved' | 'reopened'> & {
  closedMs: number | null;
} {
  const A = causes.includes('权责交叉');
  const F = causes.includes('服务落实不到位');
  const dispatch = A ? Math.min(6, 2 + rng.poisson(0.8)) : rng.chance(0.05) ? 2 : 1;
  const hours = Math.exp(rng.normal(Math.log(40), 0.9)) * (A ? 2 : 1) * (F ? 1.5 : 1);
  const closedMs = createdMs + Math.round(hours * 3600) * 1000;
  const open = closedMs >= endMs(opts.end);
  let satisfaction: string | null = null;
  let resolved: boolean | null = null;
  if (!open) {
    const bad = 0.08 + (F ? 0.3 : 0) + (A ? 0.2 : 0) + (repeat ? 0.1 : 0);
    const r = rng.next();
    satisfaction = r < 0.15 ? null : r < 0.15 + bad ? '不满意' : r < 0.15 + bad + 0.2 ? '基本满意' : '满意';
    resolved = !rng.chance(0.1 + (F ? 0.3 : 0) + (A ? 0.25 : 0) + (satisfaction === '不满意' ? 0.2 : 0));
  }
  const reopened = !open && rng.chance(0.02 + (F ? 0.15 : 0));
  return {
    dispatch_count: dispatch,
    closed_at: open ? null : stampMs(closedMs),
    satisfaction,
    resolved,
    reopened,
    closedMs: open ? null : closedMs,
  };
}

// Names as the operator typed them; ~5% of orders have no coordinates, and a few name places that do not exist.
function typedPlace(
  rng: Rng,
  community: Community,
  pt: Pt,
): Pick<OrderRow, 'lon' | 'lat' | 'district' | 'street' | 'community'> {
  const street = community.street;
  const out: Pick<OrderRow, 'lon' | 'lat' | 'district' | 'street' | 'community'> = {
    lon: round6(pt[0]),
    lat: round6(pt[1]),
    district: street.district.name,
    street: street.name,
    community: rng.chance(0.97) ? community.name : null,
  };
  if (rng.chance(0.05)) {
    out.lon = null;
    out.lat = null;
    if (rng.chance(0.08)) {
      out.street = rng.pick(UNKNOWN_STREETS);
      out.district = rng.chance(0.5) ? rng.pick(UNKNOWN_DISTRICTS) : null;
      out.community = null;
    }
  }
  return out;
}

function makeOrder(
  rng: Rng,
  opts: GenerateOptions,
  city: City,
  at: DayRef,
  p: Pending,
  id: string,
  channelAlias: Alias,
): OrderRow {
  const cs = p.cs;
  const createdMs = at.dayMs + p.second * 1000;
  const o = drawRepeat(rng, p, at.dayIndex, createdMs) ?? drawNewPlace(rng, city, p);
  const channel = CHANNELS[channelAlias.draw(rng)];
  const inquiry = isInquiry(o.category);
  const orderType = inquiry ? (rng.chance(0.7) ? '咨询' : '求助') : ORDER_TYPES[rng.weighted([55, 25, 3, 7, 10])];
  const phone = o.repeatOf && o.repeatKind !== 'place' ? o.repeatOf.phone : mobile(rng);
  const noLegalBasis = !cs.profile.outOfScope && rng.chance(0.004);
  const term = p.event?.truth.kind === 'new_topic' ? p.event.truth.term : undefined;
  const content = composeContent(rng, {
    category: o.category,
    cat2: cs.cat2,
    place: o.place,
    causes: o.causes,
    channel,
    orderType,
    repeat: o.repeatKind,
    phone,
    noLegalBasis,
    term,
  });
  const { closedMs, ...handled } = handling(rng, opts, o.causes, Boolean(o.repeatOf), createdMs);
  const row: OrderRow = {
    order_id: id,
    created_at: stamp(at.day.date, p.second),
    category: o.category,
    content,
    ...typedPlace(rng, o.community, o.pt),
    address: o.address,
    caller_phone: phone,
    channel,
    order_type: orderType,
    dept: deptFor(rng, opts.units, cs.cat2, o.community),
    ...handled,
    true_root_causes: o.causes,
    event_id: o.eventId,
    repeat_of: o.repeatOf?.id ?? null,
    repeat_kind: o.repeatKind ?? null,
    out_of_scope: Boolean(cs.profile.outOfScope) || noLegalBasis,
  };
  // a level-3 event's orders are not repeated later: they draw from their own stream and leave the main one (which
  // picks repeats among the recent orders) exactly as it was without them
  if (p.event?.leaf) return row;
  const { community, grid, pt, address, place, category, causes, eventId } = o;
  cs.recent.push({
    id,
    day: at.dayIndex,
    closedAtMs: closedMs,
    phone,
    community,
    grid,
    pt,
    address,
    place,
    category,
    causes,
    eventId,
  });
  return row;
}
