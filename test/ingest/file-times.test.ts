import { afterEach, describe, expect, it } from 'vitest';
import { tempStore } from '../helpers.js';
import { HEADER, ingest, writeText } from './util.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('ingested_files times', () => {
  it('started_at and finished_at are both the store local time, as runs has them (seconds apart, not 8 hours)', async () => {
    // measured: started_at 2026-12-06 19:48 (UTC) and finished_at 2026-12-07 03:48 (local) for the same file
    const t = await tempStore();
    cleanup = t.cleanup;
    const file = writeText(t.dir, 'a.csv', `${HEADER}\nN1,2024-01-02 08:00:00,城乡建设,好\n`);
    await ingest(t.store, [file]);
    const r = await t.store.one<{ gap: number; vs_now: number }>(
      `SELECT epoch(finished_at) - epoch(started_at) AS gap,
              abs(epoch(current_localtimestamp()) - epoch(started_at)) AS vs_now
       FROM ingested_files`,
    );
    expect(r!.gap).toBeGreaterThanOrEqual(0);
    expect(r!.gap).toBeLessThan(600);
    expect(r!.vs_now).toBeLessThan(600);
  });
});
