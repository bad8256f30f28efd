/**
 * Boston 311 2015 (/work/realdata/boston311-2015, README there) loaded into a store and placed, as the real-data
 * benches read it: its mapping, the bench salt, a date window wide enough to keep every row.
 */
import { join } from 'node:path';
import { ingestFiles } from '../src/ingest/index.js';
import { placeStage } from '../src/spatial/stage.js';
import { configFrom } from '../src/store/config.js';
import type { Store } from '../src/store/db.js';
import type { Logger } from '../src/store/log.js';
import { packageRoot } from '../src/store/paths.js';
import type { StageContext } from '../src/store/stage.js';

/** Ingests the export's folder into `store` and runs the place stage; returns the context it ran with. */
export async function loadBoston(store: Store, source: string, dir: string, log: Logger): Promise<StageContext> {
  await ingestFiles(store, [source], {
    mapping: join(packageRoot, 'bench', 'real-mappings', 'boston311-2015.json'),
    salt: 'bench-salt-0123456789abcdef',
    log,
    dateWindow: { from: '2000-01-01', to: '2100-01-01' },
  });
  const ctx = {
    store,
    asOf: '2100-01-01',
    runId: 'bench',
    log,
    config: configFrom({}),
    outDir: dir,
    progress: () => {},
  };
  await store.tx(() => placeStage.run(ctx));
  return ctx;
}
