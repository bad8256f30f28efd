#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm ci` through the prepare script).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'dist', 'src', 'cli', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write('weisu: not built yet — run `npm ci` (or `npm run build`) in ' + root + '\n');
  process.exit(2);
}
// In a development checkout, a source edited after the last build would silently run the old code.
const src = join(root, 'src');
if (existsSync(src)) {
  const built = statSync(entry).mtimeMs;
  const newer = readdirSync(src, { recursive: true }).find(
    (f) => String(f).endsWith('.ts') && statSync(join(src, String(f))).mtimeMs > built,
  );
  if (newer)
    process.stderr.write(
      `weisu: src/${newer} changed after the last build; running the built dist/ — run \`npm run build\`\n`,
    );
}
const { main } = await import(pathToFileURL(entry).href);
process.exitCode = await main(process.argv);
