import { describe, expect, it } from 'vitest';
import { printPdf } from '../../src/report/pdf.js';
import { UserError } from '../../src/store/errors.js';

describe('printPdf without Chromium', () => {
  it('fails with one Chinese line naming the missing path and the two ways to give it', async () => {
    const err = await printPdf('/nonexistent/report.html', '/nonexistent/report.pdf', '/nonexistent/chromium').catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe(
      '找不到 Chromium：/nonexistent/chromium（--pdf 需要它；请安装，例如 apt-get install chromium，或用配置 report.chromium、环境变量 CHROMIUM_PATH 指明它的位置）',
    );
  });
});
