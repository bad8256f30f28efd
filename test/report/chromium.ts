/// <reference lib="dom" />
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface PageCheck {
  consoleErrors: string[];
  pageErrors: string[];
  /** Requests for anything but the file itself (a self-contained report makes none). */
  externalRequests: string[];
  svgCount: number;
  figureSvgs: number;
  mapSvgPaths: number;
  title: string;
  text: string;
}

/** Open an HTML file in headless Chromium and report what a reader's browser would complain about. */
export async function openInChromium(file: string, screenshot?: string): Promise<PageCheck> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `headless Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`,
    );
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 1400 } });
    const consoleErrors: string[] = [];
    const pageErrors: string[] = [];
    const externalRequests: string[] = [];
    const url = pathToFileURL(file).href;
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('request', (r) => {
      if (r.url() !== url) externalRequests.push(r.url());
    });
    await page.goto(url, { waitUntil: 'load' });
    const result = await page.evaluate(() => ({
      svgCount: document.querySelectorAll('svg').length,
      figureSvgs: document.querySelectorAll('figure svg').length,
      mapSvgPaths: document.querySelectorAll('figure svg path').length,
      title: document.title,
      text: document.body.innerText,
    }));
    if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
    return { consoleErrors, pageErrors, externalRequests, ...result };
  } finally {
    await browser.close();
  }
}
