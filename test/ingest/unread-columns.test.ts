import { afterEach, describe, expect, it } from 'vitest';
import { tempStore } from '../helpers.js';
import { HEADER, ingest, writeText } from './util.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('the warning that names columns no mapping reads', () => {
  it('says how many there are in Chinese when it lists only the first eight', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const extra = Array.from({ length: 9 }, (_, i) => `x${i + 1}`);
    const csv = [
      [HEADER, ...extra].join(','),
      ['A1,2024-05-01 08:00:00,城建,路灯不亮', ...extra.map(() => '')].join(','),
    ];
    const s = await ingest(t.store, [writeText(t.dir, 'wide.csv', csv.join('\n'))]);
    const warning = s.files[0].warnings?.find((w) => w.startsWith('以下列未读入'));
    expect(warning).toContain('x1, x2, x3, x4, x5, x6, x7, x8, …（共 9 列）');
    expect(warning).not.toMatch(/in all/);
  });
});
