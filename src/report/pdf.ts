import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { UserError } from '../store/errors.js';

/** Flags for a headless Chromium on a server: no sandbox (containers), no GPU, no calls home. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

/**
 * Print the self-contained HTML report to an A4 PDF through Chromium (playwright-core): the page's print CSS breaks
 * pages between sections, and Chromium embeds the (subset) fonts it drew with, so the file prints and files the
 * same on a machine without them. Returns the PDF's size in bytes.
 */
export async function printPdf(htmlFile: string, pdfFile: string, chromium: string): Promise<number> {
  if (!existsSync(chromium))
    throw new UserError(
      `找不到 Chromium：${chromium}（--pdf 需要它；请安装，例如 apt-get install chromium，或用配置 report.chromium、环境变量 CHROMIUM_PATH 指明它的位置）`,
    );
  const { chromium: launcher } = await import('playwright-core');
  const browser = await launcher.launch({ executablePath: chromium, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(htmlFile).href, { waitUntil: 'load' });
    const pdf = await page.pdf({
      path: pdfFile,
      format: 'A4',
      printBackground: true,
      preferCSSPageSize: true,
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate:
        '<div style="font-size:8px;width:100%;text-align:center;color:#888"><span class="pageNumber"></span> / <span class="totalPages"></span></div>',
      margin: { top: '14mm', bottom: '16mm', left: '12mm', right: '12mm' },
    });
    return pdf.byteLength;
  } finally {
    await browser.close();
  }
}
