import { configDefaults, defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * `npm run test:unit` — the fast tier (under a minute on 2 cores): everything but the test files that generate a
 * city, run the CLI as a child process, drive Chromium, or replay a store at scale. `npm test` runs both tiers.
 * A new test file that does any of those belongs in this list.
 */
export const SLOW_TESTS = [
  'test/e2e/**',
  'test/**/demo-city.test.ts',
  'test/**/cli.test.ts',
  'test/**/*browser*.test.ts',
  'test/assign/{items,loop,operators,serve-hostile}.test.ts',
  'test/cli/{commands,config-memory,launcher}.test.ts',
  'test/detect/{detect,level3,stage}.test.ts',
  'test/ingest/{direct,fuzz,hostile,xlsx-stream}.test.ts',
  'test/pipeline/{export,memory-guard,ops,run-record}.test.ts',
  'test/report/{golden,pdf,report}.test.ts',
  'test/store/store.test.ts',
  'test/synth/{calendar,determinism,events,files,geography}.test.ts',
  'test/tag/{batch,stage}.test.ts',
  'test/topics/ranking.test.ts',
];

export default mergeConfig(base, defineConfig({ test: { exclude: [...configDefaults.exclude, ...SLOW_TESTS] } }));
