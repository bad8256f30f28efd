import { mkdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ingestSettings } from '../../src/ingest/config.js';
import { ingestDropStage } from '../../src/ingest/drop-stage.js';
import { configFrom } from '../../src/store/config.js';
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

describe('a JSON answer without records in the drop folder', () => {
  it('is warned the first night only; the same answer at a new path is warned; one that gets records loads', async () => {
    // measured: `JSON 文档中没有记录，未读入任何工单` every night for the same quiet-day answer
    const d = await dropFolder();
    const quiet = '{"service_requests": []}\n';
    writeText(d.drop, 'quiet.json', quiet);
    expect(await d.night('2024-02-01')).toMatchObject({ files: 1, no_rows: 1 });
    expect(await d.night('2024-02-02')).toMatchObject({ files: 0, skipped: 1, no_rows: 0 });
    writeText(d.drop, 'quiet2.json', quiet);
    expect(await d.night('2024-02-03')).toMatchObject({ files: 1, skipped: 1, no_rows: 1 });
    const rec = { order_id: 'J1', created_at: '2024-01-02 08:00:00', category: '城乡建设', content: '好' };
    writeText(d.drop, 'quiet.json', JSON.stringify({ service_requests: [rec] }));
    expect(await d.night('2024-02-04')).toMatchObject({ files: 1, loaded: 1, no_rows: 0 });
  });
});

describe('a file still being written', () => {
  it('is left for the next night when modified within settle_minutes, named in an info event, then loads whole', async () => {
    // measured: a file cut mid-row loaded (the cut row quarantined, the file recorded as read)
    const t = await tempStore();
    cleanup = t.cleanup;
    const drop = join(t.dir, 'drop');
    mkdirSync(drop);
    const events: Record<string, unknown>[] = [];
    const night = (asOf: string) => {
      const ctx = testContext(t.store, asOf, { dropFolder: drop, ingest: { settle_minutes: 5 } });
      const log = { info: (o: object) => void events.push(o as Record<string, unknown>) };
      ctx.log = new Proxy(ctx.log, { get: (l, k) => (k === 'info' ? log.info : Reflect.get(l, k)) as unknown });
      return t.store.tx(() => ingestDropStage.run(ctx));
    };
    const old = writeText(drop, 'a.csv', `${HEADER}\nN1,2024-01-02 08:00:00,城乡建设,好\n`);
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    utimesSync(old, tenMinutesAgo, tenMinutesAgo);
    // being copied in: cut mid-row, modified just now
    const cut = writeText(drop, 'b.csv', `${HEADER}\nN2,2024-01-03 08:00:00,城乡建设,好\nN3,2024-01-03 09:0`);
    const first = await night('2024-02-01');
    expect(first).toMatchObject({ files: 1, loaded: 1, quarantined: 0, waiting: 1 });
    expect(events.find((e) => e.event === 'ingest_file_waiting')).toMatchObject({ path: cut });
    expect(await t.store.value('SELECT count(*) FROM ingested_files WHERE path = $p', { p: cut })).toBe(0);
    // the copy finished; the next night finds it settled
    writeText(drop, 'b.csv', `${HEADER}\nN2,2024-01-03 08:00:00,城乡建设,好\nN3,2024-01-03 09:00:00,城乡建设,好\n`);
    utimesSync(cut, tenMinutesAgo, tenMinutesAgo);
    const second = await night('2024-02-02');
    expect(second).toMatchObject({ files: 1, loaded: 2, quarantined: 0, waiting: 0 });
    expect(await t.store.value('SELECT count(*) FROM quarantine')).toBe(0);
  });

  it('defaults to 5 minutes when the config does not say', () => {
    expect(ingestSettings(configFrom({ salt: 'test-salt-0123456789' })).settleMs).toBe(5 * 60_000);
  });
});
