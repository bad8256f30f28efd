import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport, type WrittenReport } from '../../src/report/stage.js';
import { SECTION } from '../../src/report/wording.js';
import { testContext } from '../helpers.js';
import { openInChromium, type PageCheck } from './chromium.js';
import { AS_OF, fixedReportStore } from './fixed-store.js';

/** Statistics names and raw ids a leader must not meet in the body (the appendix may name the methods). */
const JARGON =
  /Gi\*|Getis|Ord\b|TF-IDF|topics\.weights|\bz值|FDR|Benjamini|双重差分|H3|网格\(H3\)|网格全部|\b8[0-9a-f]{14}\b/;

const body = (text: string) => text.slice(0, text.indexOf(SECTION.appendix));

/** The report as a city leader gets it: rendered in headless Chromium, and printed to an A4 PDF. */
describe('report in the browser and as PDF', () => {
  let env: Awaited<ReturnType<typeof fixedReportStore>>;
  let written: WrittenReport;
  let page: PageCheck;
  let pdfText: string;
  let pngs: string[];
  beforeAll(async () => {
    env = await fixedReportStore();
    const out = join(env.dir, 'out');
    written = await writeReport(testContext(env.store, AS_OF, env.raw, out), out, { pdf: true });
    page = await openInChromium(written.html);
    pdfText = execFileSync('pdftotext', ['-layout', written.pdf!, '-'], { encoding: 'utf8' });
    execFileSync('pdftoppm', ['-r', '40', '-png', written.pdf!, join(out, 'page')]);
    pngs = readdirSync(out)
      .filter((f) => /^page-\d+\.png$/.test(f))
      .map((f) => join(out, f));
  }, 180_000);
  afterAll(() => env.cleanup());

  it('renders without errors or external requests', () => {
    expect(page.pageErrors).toEqual([]);
    expect(page.consoleErrors).toEqual([]);
    expect(page.externalRequests).toEqual([]);
  });

  it('has no raw cell id, no 网格(H3) and no statistics jargon in the body, and keeps the methods in the appendix', () => {
    for (const text of [page.text, pdfText]) {
      expect(text).toContain(SECTION.appendix);
      expect(body(text)).not.toMatch(JARGON);
      expect(text.slice(text.indexOf(SECTION.appendix))).toMatch(/Getis-Ord Gi\*/);
    }
  });

  it('offers 2–3 topics counting the 备选, and says the feedback was simulated', () => {
    for (const text of [page.text, pdfText]) {
      const alternates = (text.match(/备选/g) ?? []).length;
      expect(alternates).toBeGreaterThan(0);
      expect(text).toContain('较弱之处');
      expect(text).toMatch(/演示数据：本报告中的签收、回传、办结均为模拟生成/);
      expect(text).toContain(SECTION.sudden);
    }
    expect(written.candidates).toBe(1);
  });

  it('prints an A4 PDF with a page per section and every font embedded', () => {
    const info = execFileSync('pdfinfo', [written.pdf!], { encoding: 'utf8' });
    expect(info).toMatch(/Page size:\s+59[45](\.\d+)? x 841(\.\d+)? pts \(A4\)/);
    // cover + candidates, then the local problems and hotspots, then effects to quality, then the appendix
    expect(Number(/Pages:\s+(\d+)/.exec(info)![1])).toBeGreaterThanOrEqual(4);
    const fonts = execFileSync('pdffonts', [written.pdf!], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
    expect(fonts.length).toBeGreaterThan(0);
    for (const f of fonts) expect(f.split(/\s+/).at(-5)).toBe('yes');
    // each page rendered to an image with something on it (a blank A4 PNG at 40 dpi is ~1 KB)
    expect(pngs.length).toBeGreaterThanOrEqual(4);
    for (const p of pngs) expect(statSync(p).size).toBeGreaterThan(3_000);
    expect(readFileSync(written.html, 'utf8')).toContain('section.part{break-before:page}');
  });
});
