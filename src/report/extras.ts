import type { Store } from '../store/db.js';
import { addDays, addMonths } from '../store/dates.js';
import { sql } from '../store/sql.js';
import { tableExists, type ReportData } from './data.js';

/** A 备选 category (topics stage): what speaks for it and why it is weaker than a candidate. */
export interface ReportAlternate {
  rank: number;
  category: string;
  score: number;
  excluded_why: string;
  reasons: string[];
  weaker: string[];
}

/** A local rise (sql/report/sudden.sql): one district or street and category, with its four-week size and trend. */
export interface SuddenRow {
  kind: string;
  scope_level: string;
  district: string;
  street: string | null;
  category: string;
  score: number;
  n_recent: number;
  n_before: number;
  n_year_ago: number | null;
  cell: string | null;
  cell_start: string | null;
  cell_end: string | null;
}

/** Where a hotspot cell is (sql/report/cell_places.sql), for one category or (category null) all of them. */
export interface CellPlace {
  cell: string;
  category: string | null;
  n: number;
  district: string | null;
  street: string | null;
  community: string | null;
  address: string | null;
  address_n: number;
}

/** What the report needs beyond loadReportData: 备选, 局部突发, place names, recorded choices, simulated 回传. */
export interface ReportExtras {
  alternates: ReportAlternate[];
  /** Local rises, strongest first (a few more than shown: the document drops those already assigned). */
  sudden: SuddenRow[];
  /** Local rises shown at most (config report.suddenRows). */
  suddenMax: number;
  /** Keyed by placeKey(cell, category). */
  places: Map<string, CellPlace>;
  /** Leadership's recorded choices for the month, latest first. */
  selections: { category: string; selected_by: string; selected_at: string }[];
  /** Status updates recorded from the demo's simulation (weisu feedback simulate), and all of them. */
  feedback: { simulated: number; total: number };
  /** The level names of each category path one of whose names holds '/' (投诉/求助, HEAT/HOT WATER). */
  slashLevels: Map<string, string[]>;
}

/**
 * A category as a reader sees it: the stored path, or — where a level name holds '/' — its level names joined by
 * ' › ', so 城建 › 投诉/求助 does not read as three levels.
 */
export function shownCategory(category: string, x: Pick<ReportExtras, 'slashLevels'>): string {
  return x.slashLevels.get(category)?.join(' › ') ?? category;
}

/** Paths whose level names hold '/', from one level list only (a path two lists join to is shown as stored). */
async function slashLevels(store: Store): Promise<Map<string, string[]>> {
  const rows = await store.all<{ category: string; levels: string[] }>(sql('store/category_paths.sql'));
  const out = new Map<string, string[] | null>();
  for (const r of rows) out.set(r.category, out.has(r.category) ? null : r.levels);
  const shown = [...out].filter((e): e is [string, string[]] => !!e[1] && e[1].some((n) => n.includes('/')));
  return new Map(shown);
}

export const placeKey = (cell: string, category: string | null) => `${cell}|${category ?? ''}`;

/** The cells the report names: each candidate's hotspots, the hotspot table's rows and the local rises' cells. */
function wantedCells(data: ReportData, sudden: SuddenRow[], tableRows: number) {
  const h = data.hotspots[0];
  const start = h?.window_start ?? addDays(data.asOf, -28);
  const cells: { cell: string; category: string | null; start: string; end: string }[] = [];
  for (const c of data.candidates)
    for (const cell of c.evidence.hotspots) cells.push({ cell, category: c.category, start, end: data.asOf });
  for (const r of data.hotspots.slice(0, tableRows))
    cells.push({ cell: r.cell, category: r.category === '（综合）' ? null : r.category, start, end: data.asOf });
  for (const s of sudden)
    if (s.cell)
      cells.push({ cell: s.cell, category: s.category, start: s.cell_start ?? start, end: s.cell_end ?? data.asOf });
  return cells;
}

export async function loadReportExtras(
  store: Store,
  data: ReportData,
  opts: { suddenRows: number; tableRows: number },
): Promise<ReportExtras> {
  const month = data.month;
  const alternates = (await tableExists(store, 'topic_alternates'))
    ? (
        await store.all<Omit<ReportAlternate, 'reasons' | 'weaker'> & { reasons: string; weaker: string }>(
          sql('report/alternates.sql'),
          { month },
        )
      ).map((a) => ({ ...a, reasons: JSON.parse(a.reasons) as string[], weaker: JSON.parse(a.weaker) as string[] }))
    : [];
  // the data's own end: a store that stopped inside last month measures its last four weeks, not four empty days
  const end = data.lastDataDay && data.lastDataDay < data.asOf ? addDays(data.lastDataDay, 1) : data.asOf;
  const sudden = await store.all<SuddenRow>(sql('report/sudden.sql'), {
    as_of: data.asOf,
    last_start: `${addMonths(month, -1)}-01`,
    end,
    first_day: data.overview.first_day ?? data.asOf,
    limit: opts.suddenRows + 5,
  });
  const cells = wantedCells(data, sudden, opts.tableRows);
  const placeRows = cells.length
    ? await store.all<CellPlace>(sql('report/cell_places.sql'), { cells: JSON.stringify(cells) })
    : [];
  const selections = await store.all<ReportExtras['selections'][number]>(sql('report/selections.sql'), { month });
  const feedback = (await tableExists(store, 'feedback'))
    ? ((await store.one<{ simulated: number; total: number }>(sql('report/simulated.sql'), { as_of: data.asOf })) ?? {
        simulated: 0,
        total: 0,
      })
    : { simulated: 0, total: 0 };
  return {
    alternates,
    sudden,
    suddenMax: opts.suddenRows,
    places: new Map(placeRows.map((p) => [placeKey(p.cell, p.category), p])),
    selections,
    feedback,
    slashLevels: await slashLevels(store),
  };
}
