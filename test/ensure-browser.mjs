#!/usr/bin/env node
// Before the tests: the browser tests (report rendering and PDF, the grid worker's page) need Debian's headless
// Chromium, fonts with Chinese glyphs and pdftoppm. On a fresh machine where we are root with apt-get, install them
// (Debian packages only, never a browser download); otherwise say what to install. CHROMIUM_PATH overrides.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const needs = [
  { what: 'Chromium', present: () => existsSync(chromium), pkg: 'chromium' },
  {
    what: 'Chinese fonts',
    present: () => existsSync('/usr/share/fonts/truetype/wqy/wqy-microhei.ttc'),
    pkg: 'fonts-wqy-microhei',
  },
  { what: 'pdftoppm', present: () => existsSync('/usr/bin/pdftoppm'), pkg: 'poppler-utils' },
];
const missing = needs.filter((n) => !n.present());
if (missing.length === 0) process.exit(0);

const pkgs = missing.map((n) => n.pkg);
const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get') && !process.env.CHROMIUM_PATH;
if (!canInstall) {
  // a CHROMIUM_PATH that names no file is the user's own setting: name it rather than suggest setting it
  const where = process.env.CHROMIUM_PATH ? ` (CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist)` : '';
  process.stderr.write(
    `weisu tests: ${missing.map((n) => n.what).join(', ')} not found${where}; the browser tests need them: ` +
      `sudo apt-get install -y ${pkgs.join(' ')}${where ? '' : ' (or set CHROMIUM_PATH)'}\n`,
  );
  process.exit(1);
}
process.stderr.write(`weisu tests: installing ${pkgs.join(', ')} (Debian packages) for the browser tests …\n`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
for (const args of [
  ['update', '-qq'],
  ['install', '-y', '-qq', ...pkgs],
]) {
  // bounded: a stalled mirror must fail the tests with a reason, not hold CI until its own timeout
  const r = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env, timeout: 15 * 60_000 });
  if (r.status !== 0) {
    const why = r.error ? `did not finish in 15 minutes (${r.error.message})` : `failed (exit ${r.status})`;
    process.stderr.write(`weisu tests: apt-get ${args[0]} ${why}; install ${pkgs.join(' ')} by hand\n`);
    process.exit(1);
  }
}
