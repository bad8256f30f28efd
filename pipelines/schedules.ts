/**
 * When each pipeline runs (default cron, Asia/Shanghai; config `schedule.<name>` overrides) and what it does, kept
 * apart from the stage lists so that `weisu health` can read it without loading every stage's dependencies.
 */
export const schedules = {
  nightly: {
    name: 'nightly',
    description: 'ingest new files, tag, place, aggregate, alerts, hotspots, push hotspot lists',
    cron: '30 2 * * *',
  },
  weekly: { name: 'weekly', description: 'forecasts and surge warnings', cron: '0 4 * * 1' },
  monthly: {
    name: 'monthly',
    description: 'topic candidates, assignment lists, effect and scorecard, report',
    cron: '0 5 1 * *',
  },
} as const;
