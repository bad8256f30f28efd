// A store remembers the config it was last run with: a later command without --config must not fall back to the
// defaults (default boundaries and city name), which re-placed every order and left forecasts under the wrong name.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import { runCli, tempDir } from '../helpers.js';

describe('--config is remembered by the store', () => {
  it('records the config given, keeps it for commands without --config, and takes a newer one', async () => {
    const tmp = tempDir('weisu-config-memory-');
    try {
      const db = join(tmp.dir, 'city.duckdb');
      const a = join(tmp.dir, 'a.json');
      const b = join(tmp.dir, 'b.json');
      writeFileSync(a, JSON.stringify({ city: { name: '甲市' } }));
      writeFileSync(b, JSON.stringify({ city: { name: '乙市' } }));
      const remembered = async () => {
        const store = await Store.open(db);
        try {
          return await store.value<string>("SELECT value FROM settings WHERE key = 'config.path'");
        } finally {
          store.close();
        }
      };
      (await Store.open(db)).close(); // a store made by an earlier ingest
      expect(runCli(['--db', db, '--config', a, 'runs', '--json']).code).toBe(0);
      expect(await remembered()).toBe(a);
      expect(runCli(['--db', db, 'runs', '--json']).code).toBe(0);
      expect(await remembered()).toBe(a);
      // `run` loads its config before opening the store for the run
      expect(runCli(['--db', db, '--config', b, 'run', 'weekly', '--as-of', '2026-01-05', '--json']).code).toBe(0);
      expect(await remembered()).toBe(b);
    } finally {
      tmp.cleanup();
    }
  });
});
