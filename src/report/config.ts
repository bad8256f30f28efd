import { z } from 'zod';
import { section, type Config } from '../store/config.js';

/** Config section `report`. */
export const ReportConfigSchema = z
  .object({
    /** Title line; `{city}` and `{month}` are filled in. */
    title: z.string().default('{city}12345热线{month}调度报告'),
    /** Weeks of history in each candidate's chart. */
    historyWeeks: z.number().int().min(8).max(260).default(60),
    /** Hotspot cells drawn on the map (the strongest first). */
    mapCells: z.number().int().min(1).max(5000).default(300),
    /** Effect lines and scorecard rows shown. */
    maxRows: z.number().int().min(1).default(12),
    /** Local rises (局部突发) listed at most. */
    suddenRows: z.number().int().min(0).max(20).default(5),
    /** Chromium used by `weisu report --pdf` (env CHROMIUM_PATH overrides). */
    chromium: z.string().default('/usr/bin/chromium'),
  })
  .loose();

export type ReportConfig = z.infer<typeof ReportConfigSchema>;

export function reportConfig(config: Config): ReportConfig {
  return section(config, 'report', ReportConfigSchema);
}

/** The boundary files configured for the spatial stage (config `spatial.boundaries`), coarse to fine. */
export function boundaryFiles(config: Config): { level: string; file: string }[] {
  const spatial = config.raw.spatial as { boundaries?: Record<string, unknown> } | undefined;
  const b = spatial?.boundaries ?? {};
  return ['districts', 'streets', 'communities', 'grids']
    .filter((level) => typeof b[level] === 'string')
    .map((level) => ({ level, file: b[level] as string }));
}
