/**
 * The demo city's ground truth: what the generator planted, written next to the orders as truth.json. Tests
 * and backtests read it to check that the pipeline finds each event and stays quiet elsewhere.
 */
export type EventKind = 'abrupt' | 'creeping' | 'citywide' | 'hotspot' | 'new_topic';

export interface PlantedEvent {
  id: string;
  kind: EventKind;
  /** Level-2 path 'l1/l2' the extra orders carry (for a citywide rise of a whole 大类, the level-1 name). */
  category: string;
  /**
   * Level-3 events: the finest category (full path 'l1/l2/l3') every extra order carries; `category` is still its
   * level-2 path, so readers that look at level 2 see the event where they always did. Absent: any leaf of category.
   */
  leaf?: string;
  scope: { level: 'city' | 'district' | 'street'; name: string };
  /** hotspot: the H3 cells (resolution 8) where the extra orders fall. */
  cells?: string[];
  /** First day with extra orders (YYYY-MM-DD). */
  start: string;
  /** First day without (exclusive). */
  end: string;
  /**
   * abrupt / citywide: multiplier of the baseline in scope (1.6 = +60%);
   * creeping: growth per week (0.05 = +5%/week, compounding from start);
   * hotspot / new_topic: extra orders per week.
   */
  magnitude: number;
  /** new_topic: the term that bursts in content from near zero. */
  term?: string;
  note?: string;
}

/** The seasonal facts the generator used, for forecast tests (e.g. the heating wave's peak). */
export interface SeasonTruth {
  /** Heating season start per year (YYYY-MM-DD). */
  heatingStart: string[];
  /** Cold snaps: days when heating complaints spike. */
  coldSnaps: string[];
  /** Storm days in the flood season: drainage complaints spike that day and the next. */
  stormDays: string[];
  /** School opening days (Sep and late Feb/Mar). */
  schoolOpenings: string[];
  /** Spring Festival (lunar new year's day) per year. */
  springFestival: string[];
}

export interface Truth {
  seed: number;
  scale: number;
  /** Period of the orders: [start, end). */
  start: string;
  end: string;
  city: string;
  /** Baseline orders per day at scale 1 in the first year, before growth and seasonality. */
  baseDaily: number;
  /** Yearly growth of the hotline's overall volume (0.08 = 8%). */
  yearlyGrowth: number;
  events: PlantedEvent[];
  seasons: SeasonTruth;
  /** Level-2 categories with a yearly seasonal wave (not 'quiet' for seasonal models, but quiet for yoy). */
  seasonalCategories: string[];
}
