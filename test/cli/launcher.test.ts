import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/store/paths.js';
import { tempDir } from '../helpers.js';

// bin/weisu.js runs the built dist/; in a development checkout a source edited after the build would run old code
// without a word. The launcher says so on stderr (and still runs).
describe('bin/weisu.js', () => {
  it('warns when a source file is newer than the build, and only then', () => {
    const tmp = tempDir('weisu-launcher-');
    try {
      const root = tmp.dir;
      mkdirSync(join(root, 'bin'));
      mkdirSync(join(root, 'dist', 'src', 'cli'), { recursive: true });
      mkdirSync(join(root, 'src', 'forecast'), { recursive: true });
      copyFileSync(join(packageRoot, 'bin', 'weisu.js'), join(root, 'bin', 'weisu.js'));
      writeFileSync(join(root, 'package.json'), '{"type":"module"}');
      const entry = join(root, 'dist', 'src', 'cli', 'main.js');
      writeFileSync(entry, 'export async function main() { process.stdout.write("ran"); return 0; }\n');
      const source = join(root, 'src', 'forecast', 'models.ts');
      writeFileSync(source, '// source\n');
      const run = () => spawnSync(process.execPath, [join(root, 'bin', 'weisu.js')], { encoding: 'utf8' });

      utimesSync(source, new Date('2026-01-01'), new Date('2026-01-01'));
      utimesSync(entry, new Date('2026-01-02'), new Date('2026-01-02'));
      const fresh = run();
      expect(fresh.stdout).toBe('ran');
      expect(fresh.stderr).toBe('');

      utimesSync(source, new Date('2026-01-03'), new Date('2026-01-03'));
      const stale = run();
      expect(stale.stdout).toBe('ran');
      expect(stale.stderr).toContain('src/forecast/models.ts changed after the last build');
    } finally {
      tmp.cleanup();
    }
  });
});
