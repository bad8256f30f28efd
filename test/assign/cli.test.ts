import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempStore, testContext } from '../helpers.js';
import { generateItems } from '../../src/assign/generate.js';
import { RECIPIENTS, seedScenario } from './fixture.js';

let dbPath: string;
let dir: string;
let cleanup: () => void;
let configFile: string;

beforeAll(async () => {
  const t = await tempStore();
  ({ dbPath, dir, cleanup } = t);
  const raw = {
    assign: {
      recipients: [
        ...RECIPIENTS.slice(0, 3).map((r) => ({
          ...r,
          webhook: { type: 'wecom', url: 'http://127.0.0.1:9/robot?key=SECRETKEY' },
        })),
        RECIPIENTS[3],
      ],
    },
  };
  configFile = join(dir, 'weisu.config.json');
  writeFileSync(configFile, JSON.stringify(raw));
  await seedScenario(t.store);
  await generateItems(testContext(t.store, '2026-03-01', raw), { topics: true, hotspots: true });
  t.store.close();
});
afterAll(() => cleanup());

const base = () => ['--db', dbPath, '--config', configFile];

describe('assign CLI', () => {
  it('push --dry-run --json prints one document, sends nothing, hides the robot key', () => {
    const r = runCli([...base(), '--json', 'push', '--dry-run', '--as-of', '2026-03-01']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      dry_run: boolean;
      recipients: Array<{ recipient: string; items: number; preview?: Array<{ url: string }> }>;
    };
    expect(doc.dry_run).toBe(true);
    expect(doc.recipients.find((x) => x.recipient === 'g1')!.items).toBe(2);
    expect(r.stdout).not.toContain('SECRETKEY');
  });

  it('assign export writes the three files per recipient', () => {
    const out = join(dir, 'lists');
    const r = runCli([...base(), '--json', 'assign', 'export', '--as-of', '2026-03-02', '--out', out]);
    expect(r.code).toBe(0);
    for (const id of ['g1', 'g2', 's1', 'u1'])
      for (const ext of ['csv', 'json', 'md']) expect(existsSync(join(out, `${id}.${ext}`))).toBe(true);
    const g1 = JSON.parse(readFileSync(join(out, 'g1.json'), 'utf8')) as {
      items: Array<{ colour: string; source: string }>;
    };
    expect(g1.items.find((i) => i.source === 'hotspot')!.colour).toBe('red'); // 24 h passed on 03-02 00:00
  });

  it('feedback import reports a bad row as one line with exit 2', () => {
    const f = join(dir, 'fb.csv');
    writeFileSync(f, 'item_id,status,at\nH-nothing,排查,2026-03-01\n');
    const r = runCli([...base(), 'feedback', 'import', f]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/fb\.csv:2 字段 item_id：没有事项 'H-nothing'/);
  });

  it('effect --json runs on a store with no finished items', () => {
    const r = runCli([...base(), '--json', 'effect', '--as-of', '2026-03-02']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      measured: number;
      scorecard: Array<{ unit: string; assigned: number; overdue: number }>;
    };
    expect(doc.measured).toBe(0);
    const u = doc.scorecard.find((x) => x.unit === '市城市管理委员会')!;
    expect(u.assigned).toBe(5);
    expect(u.overdue).toBe(0); // deadlines are on or after 03-02 00:00; overdue means strictly past
  });
});
