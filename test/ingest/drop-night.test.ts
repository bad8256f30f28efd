import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ingestDropStage } from '../../src/ingest/drop-stage.js';
import { tempStore, testContext } from '../helpers.js';
import { HEADER, writeText } from './util.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

async function dropFolder() {
  const t = await tempStore();
  cleanup = t.cleanup;
  const drop = join(t.dir, 'drop');
  mkdirSync(drop);
  const night = (asOf: string) =>
    t.store.tx(() => ingestDropStage.run(testContext(t.store, asOf, { dropFolder: drop })));
  return { ...t, drop, night };
}

describe('the nightly summary', () => {
  it('counts unchanged rows, so read = loaded + updated + unchanged + quarantined on the line', async () => {
    // measured: read=150060 loaded=150047 updated=0 quarantined=0 (13 unchanged rows not on the line)
    const d = await dropFolder();
    writeText(d.drop, 'a.csv', `${HEADER}\nN1,2024-01-02 08:00:00,城乡建设,好\nN2,2024-01-02 09:00:00,城乡建设,好\n`);
    await d.night('2024-02-01');
    // yesterday's two orders delivered again with a new one and one changed
    writeText(
      d.drop,
      'b.csv',
      `${HEADER}\nN1,2024-01-02 08:00:00,城乡建设,好\nN2,2024-01-02 09:00:00,城乡建设,改了\nN3,2024-01-03 08:00:00,城乡建设,新\n`,
    );
    const c = await d.night('2024-02-02');
    expect(c).toMatchObject({ files: 1, skipped: 1, read: 3, loaded: 1, updated: 1, unchanged: 1, quarantined: 0 });
    const n = (k: string) => Number(c[k] ?? NaN);
    expect(n('loaded') + n('updated') + n('unchanged') + n('quarantined')).toBe(n('read'));
  });
});

describe('a 0-byte file in the drop folder', () => {
  it('is warned the first night only; a new empty file is warned; one that gets content loads', async () => {
    // measured: files=1 … no_rows=1 every night for the same empty file
    const d = await dropFolder();
    writeText(d.drop, 'empty.csv', '');
    expect(await d.night('2024-02-01')).toMatchObject({ files: 1, no_rows: 1 });
    expect(await d.night('2024-02-02')).toMatchObject({ files: 0, skipped: 1, no_rows: 0 });
    writeText(d.drop, 'empty2.csv', '');
    expect(await d.night('2024-02-03')).toMatchObject({ files: 1, skipped: 1, no_rows: 1 });
    writeText(d.drop, 'empty.csv', `${HEADER}\nN1,2024-01-02 08:00:00,城乡建设,好\n`);
    expect(await d.night('2024-02-04')).toMatchObject({ files: 1, loaded: 1, no_rows: 0 });
  });
});
